import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import { startMailbox, worker } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import type { ImportResult } from './onboarding.contracts';
import { parseDateOfBirth } from './onboarding.patients';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);
const HEADER = 'NHS number,Given name,Family name,Date of birth,Email';

async function world() {
  const organisation = await createOrganisation(t.db);
  const admin = await createTeam(t.db, organisation.id, { contactable: false });
  const coordinator = await createProfessional(t.db, organisation.id, [
    { teamId: admin.id, role: 'coordinator' },
  ]);
  const client = await signIn(t.app, coordinator.email);
  const url = `/api/v1/organisations/${organisation.id}/imports/patients`;
  const post = async (csv: string) => {
    const response = await client.request({ method: 'POST', url, payload: { csv } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ImportResult>();
  };
  return { organisation, client, post };
}

async function tally() {
  const [row] = await queryRows<Record<string, number>>(
    t.db,
    sql`select (select count(*)::int from patients) as patients,
               (select count(*)::int from patient_registrations) as registrations,
               (select count(*)::int from users) as users,
               (select count(*)::int from outbox) as outbox,
               (select count(*)::int from audit_events) as audit`,
  );
  return row!;
}

/** A valid NHS number made invalid by changing its check digit. */
function withWrongCheckDigit(nhsNumber: string): string {
  const last = Number(nhsNumber[9]);
  return `${nhsNumber.slice(0, 9)}${(last + 1) % 10}`;
}

describe('bulk onboarding of patients by CSV (issue 8)', () => {
  it('registers patients matched by NHS number, and a re-run changes nothing', async () => {
    const w = await world();
    const elsewhere = await createOrganisation(t.db);
    const known = await createPatient(t.db, [elsewhere.id], { dateOfBirth: '1950-06-01' });
    const fresh = randomTestNhsNumber();
    const spaced = `${fresh.slice(0, 3)} ${fresh.slice(3, 6)} ${fresh.slice(6)}`;
    const quiet = randomTestNhsNumber();
    const csv = [
      HEADER,
      `${spaced},Ada,Lovelace,10/12/1985,ada.${unique()}@example.com`,
      `${known.nhsNumber},${known.givenName},${known.familyName.toUpperCase()},1950-06-01,`,
      `${quiet},No,Email,2001-02-03,`,
    ].join('\n');
    const before = await tally();
    const first = await w.post(csv);
    expect(first).toMatchObject({
      outcome: 'imported',
      counts: { rows: 3, created: 2, linked: 1, alreadyPresent: 0, invitations: 2 },
    });
    const [stored] = await queryRows<{ date_of_birth: string; identity_level: string }>(
      t.db,
      sql`select date_of_birth::text, identity_level from patients where nhs_number = ${fresh}`,
    );
    expect(stored).toEqual({ date_of_birth: '1985-12-10', identity_level: 'P5' });
    const afterFirst = await tally();
    expect(afterFirst.patients).toBe(before.patients! + 2);
    expect(afterFirst.registrations).toBe(before.registrations! + 3);

    const again = await w.post(csv);
    expect(again).toMatchObject({
      outcome: 'imported',
      counts: { rows: 3, created: 0, linked: 0, alreadyPresent: 3, invitations: 0 },
    });
    const afterAgain = await tally();
    // Only the second import's own audit event is new.
    expect(afterAgain).toEqual({ ...afterFirst, audit: afterFirst.audit! + 1 });
  });

  it('checks every row: NHS number (Modulus 11), names, date of birth, email, duplicates', async () => {
    const w = await world();
    const known = await createPatient(t.db, [], { dateOfBirth: '1960-01-01' });
    const good = randomTestNhsNumber();
    const csv = [
      HEADER,
      `${good},Good,Row,1970-01-01,good@example.com`,
      `${withWrongCheckDigit(randomTestNhsNumber())},Bad,Number,1970-01-01,`,
      `12345,Short,Number,1970-01-01,`,
      `${randomTestNhsNumber()},,Nameless,31/02/1970,not-an-email`,
      `${randomTestNhsNumber()},Future,Born,2999-01-01,`,
      `${good},Same,Again,1970-01-01,`,
      `${known.nhsNumber},${known.givenName},${known.familyName},1961-01-01,`,
    ].join('\n');
    const before = await tally();
    const result = await w.post(csv);
    expect(result.outcome).toBe('rejected');
    expect(result.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'NHS number', 'onboarding.nhs_number_invalid'],
      [4, 'NHS number', 'onboarding.nhs_number_invalid'],
      [5, 'Date of birth', 'onboarding.date_of_birth_invalid'],
      [5, 'Email', 'onboarding.email_invalid'],
      [5, 'Given name', 'onboarding.given_name_missing'],
      [6, 'Date of birth', 'onboarding.date_of_birth_out_of_range'],
      [7, 'NHS number', 'onboarding.duplicate_row'],
      [8, 'NHS number', 'onboarding.patient_details_differ'],
    ]);
    // Nothing imported, and no problem repeats what the file held (no patient data).
    const after = await tally();
    expect(after).toEqual({ ...before, audit: before.audit! + 1 });
    for (const problem of result.problems) {
      expect(problem.message).not.toContain(good);
      expect(problem.message).not.toContain(known.familyName);
    }
    const report = await w.client.request({ method: 'GET', url: result.errorReportUrl! });
    expect(report.body).not.toContain(good);
    expect(report.body).not.toContain('Nameless');
  });

  it('invites a new patient once, with no name or NHS number in the email (N2)', async () => {
    const w = await world();
    const mailbox = await startMailbox(t.deps.config.mailFrom);
    const relay = worker(t, mailbox.mailer);
    try {
      const nhsNumber = randomTestNhsNumber();
      const email = `zed.${unique()}@example.com`;
      const csv = `${HEADER}\n${nhsNumber},Zed,Zebedee,1990-05-05,${email}`;
      await w.post(csv);
      await relay.tick();
      await w.post(csv);
      await relay.tick();
      const received = mailbox.to(email);
      expect(received).toHaveLength(1);
      const { subject, text, html } = received[0]!;
      expect(subject).toBe('You can now send secure messages to your care team');
      expect(text).toContain(w.organisation.name);
      for (const secret of ['Zed', 'Zebedee', nhsNumber, '1990']) {
        expect(`${subject}\n${text}\n${html}`).not.toContain(secret);
      }
    } finally {
      await relay.stop();
      await mailbox.close();
    }
  });

  it('reads dates of birth as written in the UK or as ISO dates, and only real ones', () => {
    expect(parseDateOfBirth('01/02/2003')).toBe('2003-02-01');
    expect(parseDateOfBirth('1/2/2003')).toBe('2003-02-01');
    expect(parseDateOfBirth('2003-02-01')).toBe('2003-02-01');
    expect(parseDateOfBirth('29/02/2023')).toBeNull();
    expect(parseDateOfBirth('2003-13-01')).toBeNull();
    expect(parseDateOfBirth('yesterday')).toBeNull();
  });
});
