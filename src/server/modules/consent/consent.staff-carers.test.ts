import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  invite,
  makeCarer,
  signInAgain,
} from '../../../../test/consent-world';
import { expectStatus, type Person } from '../../../../test/conversation-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

const carersUrl = (patientId: string) => `/api/v1/patients/${patientId}/carers`;
const recordWithdrawal = (consentId: string, witnessedBy: string) => ({
  method: 'POST' as const,
  url: `/api/v1/carer-consents/${consentId}/recorded-withdrawal`,
  payload: { witnessedBy },
});
const paperForm = (fields: Record<string, unknown>) => ({
  method: 'POST' as const,
  url: consentUrl.invitations,
  payload: { level: 'view', patientId: w.margaret.id, witnessedBy: 'Ward clerk', ...fields },
});

interface Listed {
  carers: {
    id: string;
    carer: { name: string };
    level: string;
    startsAt: string;
    endsAt: string | null;
    status: string;
  }[];
  paperInvitations: { id: string; email: string }[];
}

async function listed(by: Person = w.nurse): Promise<Listed> {
  const response = await expectStatus(
    by.client,
    { method: 'GET', url: carersUrl(w.margaret.id) },
    200,
  );
  return response.json<Listed>();
}

/** Staff record Margaret's paper form for this carer, and the carer accepts with the code. */
async function onPaperAccepted(carer: Person, extra: Record<string, unknown> = {}) {
  return makeCarer(w.nurse, carer, 'message', {
    patientId: w.margaret.id,
    witnessedBy: 'Ward clerk',
    ...extra,
  });
}

describe('staff list a patient’s carers in force (C1, C2, C4)', () => {
  it('shows carers in force (name, level, start, last day; no email) and paper invitations waiting', async () => {
    const consentId = await onPaperAccepted(w.carol, { endsOn: '2026-12-31' });
    const waiting = await invite(w.nurse.client, 'waiting@example.test', 'view', {
      patientId: w.margaret.id,
      witnessedBy: 'Ward clerk',
    });
    // The patient's own online invitation is hers: staff do not see it.
    const online = await invite(w.margaret.client, 'online@example.test', 'view');

    const body = await listed();
    const carol = body.carers.find((c) => c.id === consentId);
    expect(carol).toEqual({
      id: consentId,
      carer: { name: w.carol.name },
      level: 'message',
      startsAt: expect.any(String) as string,
      endsAt: expect.stringMatching(/^2027-01-01T00:00:00/) as string,
      revokedAt: null,
      status: 'active',
      recordedOnBehalf: true,
    });
    expect(JSON.stringify(body.carers)).not.toContain(w.carol.email);
    const invitationIds = body.paperInvitations.map((i) => i.id);
    expect(invitationIds).toContain(waiting.id);
    expect(invitationIds).not.toContain(online.id);
  });

  it('C4: one audited read, with its basis and team, in plain words in the patient’s access log', async () => {
    const before = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where patient_id = ${w.margaret.id}
          and action = 'record.carers_and_invitations_listed'`,
    );
    const body = await listed();
    const rows = await queryRows<{ outcome: string; details: Record<string, unknown> }>(
      t.db,
      sql`select outcome, details from audit_events where patient_id = ${w.margaret.id}
          and action = 'record.carers_and_invitations_listed' order by id`,
    );
    expect(rows).toHaveLength((before[0]?.n ?? 0) + 1);
    expect(rows.at(-1)).toEqual({
      outcome: 'success',
      details: {
        count: body.carers.length,
        invitations: body.paperInvitations.length,
        basis: 'care_relationship',
        teamId: w.nurses.id,
      },
    });
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    expect(
      log.json<{ items: { who: string; what: string; why: string }[] }>().items[0],
    ).toMatchObject({
      who: expect.stringContaining('Nina Nurse') as string,
      what: 'Looked at who your carers are and your carer invitations from paper forms',
      why: 'Their team looks after you (care relationship)',
    });
  });

  it('refuses, changing nothing: no record access, a coordinator, patients and carers, unknown, malformed', async () => {
    for (const who of [w.palsMember, w.outsider, w.coordinator, w.carol, w.margaret]) {
      await expectRefused(
        t.db,
        who.client,
        { method: 'GET', url: carersUrl(w.margaret.id) },
        { status: 404, code: 'patient.not_found' },
      );
    }
    await expectRefused(
      t.db,
      w.nurse.client,
      { method: 'GET', url: carersUrl('00000000-0000-4000-8000-000000000000') },
      { status: 404, code: 'patient.not_found' },
    );
    await expectRefused(
      t.db,
      w.nurse.client,
      { method: 'GET', url: carersUrl('not-an-id') },
      { status: 400, code: 'request.invalid' },
    );
  });

  it('bad paper forms are refused with a stable code and change nothing', async () => {
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ email: 'not-an-email' }, 'body/email', 'request.invalid'],
      [{ email: 'blank@example.test', witnessedBy: '   ' }, 'body/witnessedBy', 'request.invalid'],
      [{ email: 'past@example.test', endsOn: '2020-01-01' }, 'body/endsOn', 'request.invalid'],
    ];
    for (const [fields, field] of refusals) {
      await expectRefused(t.db, w.nurse.client, paperForm(fields), {
        status: 400,
        code: 'request.invalid',
        errors: [{ field }],
      });
    }
    const emails = (await listed()).paperInvitations.map((i) => i.email);
    expect(emails).not.toEqual(expect.arrayContaining(['blank@example.test']));
    expect(emails).not.toEqual(expect.arrayContaining(['past@example.test']));
  });

  it('C1: after staff record the patient’s withdrawal the carer leaves the list and is refused at once', async () => {
    const consentId = await onPaperAccepted(w.victor);
    expect((await listed()).carers.map((c) => c.id)).toContain(consentId);
    await expectStatus(w.nurse.client, recordWithdrawal(consentId, 'Sister Jones'), 200);
    expect((await listed()).carers.map((c) => c.id)).not.toContain(consentId);
    await expectStatus(
      w.victor.client,
      { method: 'GET', url: consentUrl.caredForConversations(w.margaret.id) },
      404,
    );
  });

  it('C1: a consent past its last day is no longer listed', async () => {
    const [carol] = (await listed()).carers.filter((c) => c.carer.name === w.carol.name);
    expect(carol?.endsAt).not.toBeNull();
    t.clock.advance(new Date(carol!.endsAt!).getTime() - t.clock.now().getTime() + 1000);
    await signInAgain(t.app, w);
    expect((await listed()).carers.map((c) => c.id)).not.toContain(carol!.id);
  });
});
