import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentWorld,
  type AppointmentWorld,
  book,
  booking,
  update,
  view,
} from '../../../../test/appointment-world';
import { count, staff } from '../../../../test/conversation-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/** On PostgreSQL (TEST_DATABASE_URL) these requests really run at the same time. */
let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(() => t.close());

describe('optimistic concurrency: updates name the version they change', () => {
  it('10 clerks change the same version at once: one wins, 9 get 409 appointment.version_conflict', async () => {
    const clerks = [w.clerk, w.clerk2];
    for (let i = 0; i < 8; i++) {
      clerks.push(
        await staff(t.app, t.db, w.org.id, [{ teamId: w.central.id, role: 'member' }], {
          name: `Clerk ${i}`,
        }),
      );
    }
    const appointment = await book(w.clerk.client, booking(w, t.clock.now(), 14));
    const responses = await Promise.all(
      clerks.map((c, i) => update(c.client, appointment.id, { version: 1, location: `Room ${i}` })),
    );
    const won = responses.flatMap((r, i) => (r.statusCode === 200 ? [i] : []));
    expect(won).toHaveLength(1);
    for (const response of responses.filter((r) => r.statusCode !== 200)) {
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json<{ code: string }>().code).toBe('appointment.version_conflict');
    }
    const seen = await view(w.clerk.client, appointment.id);
    expect(seen.version).toBe(2);
    expect(seen.location).toBe(`Room ${won[0]}`);
    expect(seen.history.map((h) => h.kind)).toEqual(['created', 'rescheduled']);
    expect(
      await count(
        t.db,
        sql`select count(*)::int as n from appointment_events where appointment_id = ${appointment.id}`,
      ),
    ).toBe(2);
  });

  it('a change and a patient’s request at once: the request lands; the change lands too or is told to look again, never lost silently', async () => {
    const appointment = await book(w.clerk.client, booking(w, t.clock.now(), 14));
    const [changed, asked] = await Promise.all([
      update(w.clerk.client, appointment.id, { version: 1, preparation: 'Bring glasses.' }),
      w.margaret.client.request({
        method: 'POST',
        url: `/api/v1/appointments/${appointment.id}/requests`,
        payload: { kind: 'change', message: 'Could it be later?' },
      }),
    ]);
    expect(asked.statusCode, asked.body).toBe(201);
    // The request bumps the version too: a clerk who looked before it is told to look again.
    expect([200, 409]).toContain(changed.statusCode);
    const seen = await view(w.clerk.client, appointment.id);
    expect(seen.version).toBe(changed.statusCode === 200 ? 3 : 2);
    expect(new Set(seen.history.map((h) => h.kind)).has('change_requested')).toBe(true);
  });
});
