import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentUrl,
  appointmentWorld,
  type AppointmentWorld,
  book,
  booking,
  update,
  view,
} from '../../../../test/appointment-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { latestStart } from './appointments.horizon';

/**
 * An appointment is booked or moved at most 2 years ahead of the clock (decision 0016): a
 * year typed as "2062" for "2026", or 9999, is refused with a stable code and nothing is
 * written (C4: no change, no audit).
 */

let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(() => t.close());

const now = () => t.clock.now();
const at = (date: Date) => date.toISOString();
const TOO_FAR = {
  status: 400,
  code: 'request.invalid',
  errors: [{ field: 'body/startsAt', code: 'appointment.too_far_ahead' }],
};

/** The same day and time, in another year. */
function inYear(date: Date, year: number): Date {
  const moved = new Date(date.getTime());
  moved.setUTCFullYear(year);
  return moved;
}

describe('how far ahead an appointment may be (decision 0016)', () => {
  it('the limit is 2 years from the injected clock, to the minute', () => {
    expect(latestStart(new Date('2026-11-27T03:00:00Z')).toISOString()).toBe(
      '2028-11-27T03:00:00.000Z',
    );
  });

  it.each([
    ['the year 9999', () => inYear(now(), 9999)],
    ['"2062" typed for "2026"', () => inYear(now(), now().getUTCFullYear() + 36)],
    ['a minute past 2 years', () => new Date(latestStart(now()).getTime() + 60_000)],
  ])('booking: %s is refused with appointment.too_far_ahead', async (_, when) => {
    await expectRefused(
      t.db,
      w.clerk.client,
      {
        method: 'POST',
        url: appointmentUrl.create,
        payload: booking(w, now(), 14, { startsAt: at(when()) }),
      },
      TOO_FAR,
    );
  });

  it('booking exactly 2 years ahead is allowed', async () => {
    const created = await book(
      w.clerk.client,
      booking(w, now(), 14, { startsAt: at(latestStart(now())) }),
    );
    expect(created.startsAt).toBe(at(latestStart(now())));
  });

  it('moving to the year 9999 or past 2 years is refused; the appointment is unchanged', async () => {
    const appointment = await book(w.clerk.client, booking(w, now(), 21));
    for (const startsAt of [inYear(now(), 9999), new Date(latestStart(now()).getTime() + 60_000)]) {
      await expectRefused(
        t.db,
        w.clerk.client,
        {
          method: 'PATCH',
          url: appointmentUrl.one(appointment.id),
          payload: { version: 1, startsAt: at(startsAt) },
        },
        TOO_FAR,
      );
    }
    const unchanged = await view(w.clerk.client, appointment.id);
    expect(unchanged.startsAt).toBe(appointment.startsAt);
    expect(unchanged.version).toBe(1);

    // Within the limit, the move goes through.
    const response = await update(w.clerk.client, appointment.id, {
      version: 1,
      startsAt: at(latestStart(now())),
    });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('an appointment already further out (booked before the limit) can still be changed otherwise', async () => {
    const appointment = await book(w.clerk.client, booking(w, now(), 30));
    const farOut = inYear(now(), now().getUTCFullYear() + 5);
    await t.db.execute(
      sql`update appointments set starts_at = ${at(farOut)}::timestamptz where id = ${appointment.id}`,
    );
    const response = await update(w.clerk.client, appointment.id, {
      version: 1,
      startsAt: at(farOut),
      location: 'Outpatients D',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ location: string; startsAt: string }>()).toMatchObject({
      location: 'Outpatients D',
      startsAt: at(farOut),
    });
  });
});
