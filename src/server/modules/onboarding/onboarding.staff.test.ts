import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { ANONYMOUS_CLIENT, type Client, signIn } from '../../../../test/http';
import { startMailbox, worker } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import type { ImportResult } from './onboarding.contracts';
import { MAX_ROWS } from './onboarding.csv';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);

async function world() {
  const organisation = await createOrganisation(t.db, `Trust ${unique()}`);
  const admin = await createTeam(t.db, organisation.id, { name: 'Admin', contactable: false });
  const nurses = await createTeam(t.db, organisation.id, {
    name: 'Cardiology Nurses',
    slug: `cardio-${unique()}`,
  });
  const pals = await createTeam(t.db, organisation.id, { name: `PALS ${unique()}` });
  const coordinator = await createProfessional(t.db, organisation.id, [
    { teamId: admin.id, role: 'coordinator' },
  ]);
  const client = await signIn(t.app, coordinator.email);
  const url = `/api/v1/organisations/${organisation.id}/imports/staff`;
  const post = (c: Client, csv: string) => c.request({ method: 'POST', url, payload: { csv } });
  return { organisation, admin, nurses, pals, coordinator, client, url, post };
}

/** Everything an import may create, counted: nothing may change on a re-run. */
async function tally() {
  const [row] = await queryRows<Record<string, number>>(
    t.db,
    sql`select (select count(*)::int from professionals) as professionals,
               (select count(*)::int from team_memberships) as memberships,
               (select count(*)::int from users) as users,
               (select count(*)::int from outbox) as outbox,
               (select count(*)::int from patients) as patients`,
  );
  return row;
}

describe('bulk onboarding of staff by CSV (issue 8)', () => {
  it('adds staff to their teams with roles, invites each once, and a re-run changes nothing', async () => {
    const w = await world();
    const a = `alex.${unique()}@trust.nhs.uk`;
    const b = `bea.${unique()}@trust.nhs.uk`;
    const csv = [
      'Name,Job title,Email,Team,Role,Contactable',
      `Alex Ward,Staff Nurse,${a},${w.nurses.slug},member,yes`,
      `Alex Ward,Staff Nurse,${a},${w.pals.name.toUpperCase()},manager,no`,
      `"Bea Jones, RN",Sister,${b},${w.nurses.name},manager,No`,
    ].join('\r\n');

    const before = await tally();
    const first = await w.post(w.client, csv);
    expect(first.statusCode, first.body).toBe(200);
    const result = first.json<ImportResult>();
    expect(result).toMatchObject({
      kind: 'staff',
      outcome: 'imported',
      counts: { rows: 3, created: 3, linked: 0, alreadyPresent: 0, invitations: 2 },
      problems: [],
      errorReportUrl: null,
    });
    expect(result.rows).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
      { row: 4, outcome: 'created' },
    ]);
    const memberships = await queryRows<{ email: string; team: string; role: string; c: boolean }>(
      t.db,
      sql`select p.email, tm.team_id as team, tm.role, tm.contactable as c
            from team_memberships tm join professionals p on p.id = tm.professional_id
           where p.email in (${a}, ${b}) order by p.email, tm.role`,
    );
    expect(memberships).toEqual([
      { email: a, team: w.pals.id, role: 'manager', c: false },
      { email: a, team: w.nurses.id, role: 'member', c: true },
      { email: b, team: w.nurses.id, role: 'manager', c: false },
    ]);
    const afterFirst = await tally();
    expect(afterFirst).toEqual({
      ...before,
      professionals: before!.professionals! + 2,
      memberships: before!.memberships! + 3,
      users: before!.users! + 2,
      outbox: before!.outbox! + 2,
    });

    const again = await w.post(w.client, csv);
    expect(again.statusCode).toBe(200);
    expect(again.json<ImportResult>()).toMatchObject({
      outcome: 'imported',
      counts: { rows: 3, created: 0, linked: 0, alreadyPresent: 3, invitations: 0 },
    });
    expect(await tally()).toEqual(afterFirst);

    const audits = await queryRows<{ action: string; outcome: string }>(
      t.db,
      sql`select action, outcome from audit_events
           where organisation_id = ${w.organisation.id} and action like 'onboarding.%' order by seq`,
    );
    expect(audits).toEqual([
      { action: 'onboarding.imported', outcome: 'success' },
      { action: 'onboarding.imported', outcome: 'success' },
    ]);
  });

  it('adds a known colleague of the organisation to a new team without changing them', async () => {
    const w = await world();
    const known = await createProfessional(t.db, w.organisation.id, [
      { teamId: w.nurses.id, role: 'member' },
    ]);
    const csv = `Name,Job title,Email,Team,Role,Contactable\nSomeone Else,Other,${known.email.toUpperCase()},${w.pals.slug},manager,no\n${known.name},Nurse,${known.email},${w.nurses.slug},manager,yes`;
    const response = await w.post(w.client, csv);
    // The second row names the same person differently: refused as a whole.
    expect(response.json<ImportResult>().outcome).toBe('rejected');
    const fixed = `Name,Job title,Email,Team,Role,Contactable\n${known.name},Nurse,${known.email},${w.pals.slug},manager,no\n${known.name},Nurse,${known.email},${w.nurses.slug},manager,yes`;
    const result = (await w.post(w.client, fixed)).json<ImportResult>();
    expect(result.rows).toEqual([
      { row: 2, outcome: 'linked' },
      { row: 3, outcome: 'already_present' },
    ]);
    // Already a member: the file's "manager" does not change their role.
    const [role] = await queryRows<{ role: string }>(
      t.db,
      sql`select role from team_memberships where team_id = ${w.nurses.id} and professional_id = ${known.id}`,
    );
    expect(role?.role).toBe('member');
  });

  it('a file with any problem imports nothing and lists row, column and what to do', async () => {
    const w = await world();
    const other = await createOrganisation(t.db);
    const elsewhere = await createProfessional(t.db, other.id);
    const inactive = await createTeam(t.db, w.organisation.id, { active: false });
    const good = `good.${unique()}@trust.nhs.uk`;
    const csv = [
      'Name,Job title,=Email,Team,Role,Contactable',
      `Good Person,Nurse,${good},${w.nurses.slug},member,yes`,
      `,Nurse,not-an-email,no-such-team,coordinator,maybe`,
      `Other Org,Nurse,${elsewhere.email},${w.nurses.slug},member,no`,
      `Good Person,Nurse,${good},${w.nurses.name},member,no`,
      `Late Joiner,Nurse,late.${unique()}@trust.nhs.uk,${inactive.slug},member,no`,
    ].join('\n');
    const before = await tally();
    const response = await w.post(w.client, csv);
    expect(response.statusCode).toBe(200);
    const result = response.json<ImportResult>();
    expect(result.outcome).toBe('rejected');
    expect(result.counts).toEqual({
      rows: 5,
      created: 0,
      linked: 0,
      alreadyPresent: 0,
      invitations: 0,
    });
    expect(result.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '=Email', 'onboarding.email_invalid'],
      [3, 'Contactable', 'onboarding.contactable_invalid'],
      [3, 'Name', 'onboarding.name_missing'],
      [3, 'Role', 'onboarding.role_invalid'],
      [4, '=Email', 'onboarding.email_other_organisation'],
      [5, 'Team', 'onboarding.duplicate_row'],
      [6, 'Team', 'onboarding.team_inactive'],
    ]);
    expect(await tally()).toEqual(before);

    // The report: every problem, and nothing a spreadsheet would run as a formula.
    const report = await w.client.request({ method: 'GET', url: result.errorReportUrl! });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.headers['content-disposition']).toBe(
      'attachment; filename="staff-import-problems.csv"',
    );
    const lines = report.body.trim().split('\r\n');
    expect(lines[0]).toBe('Row,Column,Problem');
    expect(lines[1]).toBe(
      `3,'=Email,"Enter an email address in the correct format, like name@example.nhs.uk"`,
    );
    expect(lines).toHaveLength(8);
    // No cell a spreadsheet would run as a formula, quoted or not.
    expect(report.body).not.toMatch(/(^|,)"?[=+\-@]/m);

    const [audit] = await queryRows<{ action: string; outcome: string }>(
      t.db,
      sql`select action, outcome from audit_events
           where organisation_id = ${w.organisation.id} and action = 'onboarding.import_rejected'`,
    );
    expect(audit).toEqual({ action: 'onboarding.import_rejected', outcome: 'failure' });
  });

  it.each([
    ['onboarding.columns_missing', 400, 'Name,Email\nA,a@b.nhs.uk'],
    ['onboarding.file_empty', 400, 'Name,Job title,Email,Team,Role,Contactable\n\n,,,,,\n'],
    ['onboarding.file_unreadable', 400, 'Name,Job title\n"unclosed,quote\n'],
    [
      'onboarding.too_many_rows',
      413,
      `Name,Job title,Email,Team,Role,Contactable\n${'A,B,a@b.nhs.uk,t,member,yes\n'.repeat(MAX_ROWS + 1)}`,
    ],
    ['onboarding.file_too_large', 413, `Name\n${'x'.repeat(1024 * 1024)}`],
  ])('refuses a file as a whole with %s, and changes nothing', async (code, status, csv) => {
    const w = await world();
    const before = await tally();
    const response = await w.post(w.client, csv);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code });
    expect(await tally()).toEqual(before);
  });

  it('only the organisation’s coordinators may import or read a report', async () => {
    const w = await world();
    const member = await createProfessional(t.db, w.organisation.id, [
      { teamId: w.nurses.id, role: 'manager' },
    ]);
    const other = await createOrganisation(t.db);
    const otherAdmin = await createTeam(t.db, other.id);
    const otherCoordinator = await createProfessional(t.db, other.id, [
      { teamId: otherAdmin.id, role: 'coordinator' },
    ]);
    const csv = `Name,Job title,Email,Team,Role,Contactable\nA,B,bad,${w.nurses.slug},member,yes`;
    const manager = await signIn(t.app, member.email);
    const outsider = await signIn(t.app, otherCoordinator.email);
    expect((await w.post(manager, csv)).json()).toMatchObject({ code: 'onboarding.forbidden' });
    expect((await w.post(outsider, csv)).statusCode).toBe(403);
    expect((await w.post(ANONYMOUS_CLIENT(t.app), csv)).statusCode).toBe(401);
    const nowhere = await w.client.request({
      method: 'POST',
      url: `/api/v1/organisations/${crypto.randomUUID()}/imports/staff`,
      payload: { csv },
    });
    expect(nowhere.json()).toMatchObject({ code: 'organisation.not_found' });

    const rejected = (await w.post(w.client, csv)).json<ImportResult>();
    expect(rejected.outcome).toBe('rejected');
    expect(
      (await outsider.request({ method: 'GET', url: rejected.errorReportUrl! })).statusCode,
    ).toBe(403);
    const wrongOrg = rejected.errorReportUrl!.replace(w.organisation.id, other.id);
    expect((await outsider.request({ method: 'GET', url: wrongOrg })).json()).toMatchObject({
      code: 'onboarding.import_not_found',
    });
  });

  it('invitations reach each new colleague once, naming only the organisation (N2, N4)', async () => {
    const w = await world();
    const mailbox = await startMailbox(t.deps.config.mailFrom);
    const relay = worker(t, mailbox.mailer);
    try {
      const email = `invited.${unique()}@trust.nhs.uk`;
      const csv = `Name,Job title,Email,Team,Role,Contactable\nIvy Invited,Matron,${email},${w.nurses.slug},member,yes\nIvy Invited,Matron,${email},${w.pals.slug},member,no`;
      await w.post(w.client, csv);
      await relay.tick();
      await w.post(w.client, csv);
      await relay.tick();
      const received = mailbox.to(email);
      expect(received).toHaveLength(1);
      expect(received[0]!.subject).toBe('You have been invited to Carethread');
      expect(received[0]!.text).toContain(w.organisation.name);
      expect(received[0]!.text).toContain(`${t.deps.config.publicUrl}/sign-in`);
      expect(received[0]!.text).not.toContain('Ivy');
      expect(received[0]!.text).not.toContain(w.nurses.name);
    } finally {
      await relay.stop();
      await mailbox.close();
    }
  });
});
