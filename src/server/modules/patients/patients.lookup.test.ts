import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus, problemOf } from '../../../../test/conversation-world';
import { randomTestNhsNumber } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { LOOKUP_WINDOW_MS, LOOKUPS_PER_WINDOW } from './patients.lookups';

/** findPatientByNhsNumber: staff find a record they may read (C2), audited (C4). */

let t: TestApp;
let w: ConsentWorld;
let margaretsNumber: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
  const found = (await t.db.execute(
    sql`select nhs_number from patients where id = ${w.margaret.id}`,
  )) as { rows: { nhs_number: string }[] };
  margaretsNumber = found.rows[0]?.nhs_number ?? '';
});
afterAll(async () => t?.close());

const lookup = (client: Client, nhsNumber: string) =>
  client.request({ method: 'POST', url: '/api/v1/patient-lookups', payload: { nhsNumber } });

const lookups = async (outcome: 'success' | 'denied') =>
  (
    (await t.db.execute(
      sql`select count(*)::int as n from audit_events
          where action = 'patient.looked_up' and patient_id = ${w.margaret.id} and outcome = ${outcome}`,
    )) as { rows: { n: number }[] }
  ).rows[0]?.n ?? 0;

/** Written as people write it: in groups of three, three and four. */
const spaced = (n: string) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;

describe('finding a record by NHS number', () => {
  it('a member of a care team finds it, however the number is written, and it is audited', async () => {
    const before = await lookups('success');
    for (const written of [
      margaretsNumber,
      spaced(margaretsNumber),
      ` ${spaced(margaretsNumber)} `,
    ]) {
      const response = await expectStatus(
        w.nurse.client,
        { method: 'POST', url: '/api/v1/patient-lookups', payload: { nhsNumber: written } },
        200,
      );
      expect(response.json()).toEqual({ patientId: w.margaret.id });
    }
    expect(await lookups('success')).toBe(before + 3);
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    expect(
      log.json<{ items: { who: string; what: string; why: string }[] }>().items[0],
    ).toMatchObject({
      what: 'Found your record by your NHS number',
      why: 'Their team looks after you (care relationship)',
    });
  });

  it('a team with no access gets the same 404 as for a number nobody has; the attempt is audited', async () => {
    const before = await lookups('denied');
    const refused = await lookup(w.palsMember.client, margaretsNumber);
    const nobody = await lookup(w.palsMember.client, randomTestNhsNumber());
    expect(refused.statusCode).toBe(404);
    expect(nobody.statusCode).toBe(404);
    expect(problemOf(refused)).toEqual(problemOf(nobody));
    expect(problemOf(refused).code).toBe('patient.not_found');
    expect(refused.body).not.toContain(margaretsNumber);
    expect(await lookups('denied')).toBe(before + 1);
  });

  it('a grant from the patient, and emergency access, each open the way (C2)', async () => {
    expect((await lookup(w.palsMember.client, margaretsNumber)).statusCode).toBe(404);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.grants, payload: { teamId: w.pals.id, days: 30 } },
      201,
    );
    expect((await lookup(w.palsMember.client, margaretsNumber)).json()).toEqual({
      patientId: w.margaret.id,
    });

    expect((await lookup(w.outsider.client, margaretsNumber)).statusCode).toBe(404);
    await expectStatus(
      w.outsider.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber: margaretsNumber, reason: 'emergency_care', detail: 'Collapsed' },
      },
      201,
    );
    expect((await lookup(w.outsider.client, margaretsNumber)).json()).toEqual({
      patientId: w.margaret.id,
    });
  });

  it('refuses a number that is not a valid one, patients, and the signed out; nothing is audited', async () => {
    const before = (await lookups('success')) + (await lookups('denied'));
    const invalid = await lookup(w.nurse.client, '943 476 5910');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: unknown[] }>().errors).toEqual([
      expect.objectContaining({ field: 'body/nhsNumber', code: 'patient.nhs_number_invalid' }),
    ]);
    expect(invalid.body).not.toContain('9434765910');
    const unknownField = await w.nurse.client.request({
      method: 'POST',
      url: '/api/v1/patient-lookups',
      payload: { nhsNumber: margaretsNumber, name: 'Margaret' },
    });
    expect(unknownField.statusCode).toBe(400);

    const patient = await lookup(w.margaret.client, margaretsNumber);
    expect(patient.statusCode).toBe(403);
    expect(problemOf(patient).code).toBe('patient_lookup.staff_only');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patient-lookups',
      payload: { nhsNumber: margaretsNumber },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await lookups('success')) + (await lookups('denied'))).toBe(before);
  });
});

describe('lookups are kept, without the number, and limited per person', () => {
  const kept = async (professionalId: string) =>
    (
      (await t.db.execute(
        sql`select outcome from patient_lookups where professional_id = ${professionalId} order by id`,
      )) as { rows: { outcome: string }[] }
    ).rows.map((r) => r.outcome);
  const professionalOf = async (email: string) =>
    (
      (await t.db.execute(sql`select id from professionals where email = ${email}`)) as {
        rows: { id: string }[];
      }
    ).rows[0]?.id ?? '';

  it('records found, refused and none alike, with no NHS number anywhere in the row', async () => {
    const palsId = await professionalOf(w.palsMember.email);
    const before = (await kept(palsId)).length;
    const nhsNumber = randomTestNhsNumber();
    await lookup(w.palsMember.client, nhsNumber);
    const rows = (await t.db.execute(
      sql`select to_jsonb(l)::text as row from patient_lookups l where professional_id = ${palsId} order by id desc limit 1`,
    )) as { rows: { row: string }[] };
    expect((await kept(palsId)).length).toBe(before + 1);
    expect(rows.rows[0]?.row).toContain('"outcome": "none"');
    expect(rows.rows[0]?.row).not.toContain(nhsNumber);
    // Nor anything like one outside its ids (a random UUID may hold ten digits in a row).
    const withoutIds = rows.rows[0]?.row.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '');
    expect(withoutIds).not.toMatch(/\d{10}/);
  });

  it(`allows ${LOOKUPS_PER_WINDOW} in ${LOOKUP_WINDOW_MS / 60_000} minutes, then 429 and nothing written, until the window moves on`, async () => {
    const nurseId = await professionalOf(w.nurse.email);
    const now = t.clock.now();
    await t.db.execute(sql`
      insert into patient_lookups (professional_id, looked_up_at, outcome)
      select ${nurseId}, ${now}, 'none' from generate_series(1, ${LOOKUPS_PER_WINDOW})`);
    const before = (await kept(nurseId)).length;
    const refused = await lookup(w.nurse.client, margaretsNumber);
    expect(refused.statusCode).toBe(429);
    expect(problemOf(refused).code).toBe('patient_lookup.too_many');
    expect((await kept(nurseId)).length).toBe(before);

    t.clock.advance(LOOKUP_WINDOW_MS + 1000);
    const nurse = await signInAs(t.app, w.nurse.email);
    expect((await lookup(nurse, margaretsNumber)).json()).toEqual({ patientId: w.margaret.id });
  });
});

describe('findPatientByNhsNumber in OpenAPI', () => {
  it('is a POST, so the number stays out of URLs, with its refusals', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>;
    }>();
    const operation = doc.paths['/api/v1/patient-lookups']?.post;
    expect(operation?.operationId).toBe('findPatientByNhsNumber');
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404']),
    );
  });
});
