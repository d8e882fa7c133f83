import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, createTeam } from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { forgetExpiredKeys, IDEMPOTENCY_KEY_LIFETIME_MS } from './idempotency';
import { idempotencyKeys } from './idempotency.schema';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('idempotency keys expire (M5, decision 0008)', () => {
  it('forgets a key and its stored response after a day, and a retry then creates anew', async () => {
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id, { contactable: true });
    const patient = await createPatient(t.db, [org.id]);
    let client = await signIn(t.app, patient.email);
    const start = () =>
      client.request({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: { 'idempotency-key': 'key-1' },
        payload: {
          subject: 'Appointment',
          body: 'Can I move it?',
          recipients: [{ teamId: team.id }],
        },
      });
    const first = await start();
    expect(first.statusCode).toBe(201);
    expect((await start()).json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);

    expect(await forgetExpiredKeys(t.db, t.clock.now())).toBe(0);
    t.clock.advance(IDEMPOTENCY_KEY_LIFETIME_MS + 1000);
    expect(await forgetExpiredKeys(t.db, t.clock.now())).toBe(1);
    expect(await t.db.select().from(idempotencyKeys)).toEqual([]);

    client = await signIn(t.app, patient.email); // the day-old session has ended
    const later = await start();
    expect(later.statusCode).toBe(201);
    expect(later.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
  });
});
