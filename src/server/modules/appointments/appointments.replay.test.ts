import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentUrl,
  appointmentWorld,
  type AppointmentWorld,
  booking,
} from '../../../../test/appointment-world';
import { count } from '../../../../test/conversation-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

describe('a replayed booking is answered only while its author may read it (M5, C4)', () => {
  it('a clerk removed from Central Appointments gets 404, not the appointment they booked', async () => {
    const payload = booking(w, t.clock.now(), 14, { location: 'Outpatients C' });
    const headers = { 'idempotency-key': 'book-1' };
    const book = () =>
      w.clerk.client.request({ method: 'POST', url: appointmentUrl.create, payload, headers });
    const first = await book();
    expect(first.statusCode, first.body).toBe(201);
    expect((await book()).json()).toEqual(first.json());

    await t.db.execute(
      sql`delete from team_memberships where team_id = ${w.central.id} and professional_id = ${w.clerk.id}`,
    );
    const replay = await book();
    expect(replay.statusCode).toBe(404);
    expect(replay.body).not.toContain('Outpatients C');
    expect(
      await count(
        t.db,
        sql`select count(*)::int as n from appointments where patient_id = ${w.margaret.id}`,
      ),
    ).toBe(1);
  });
});
