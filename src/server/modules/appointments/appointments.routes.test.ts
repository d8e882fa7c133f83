import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentUrl,
  appointmentWorld,
  auditCount,
  type AppointmentView,
  type AppointmentWorld,
  book,
  booking,
  DAY_MS,
  update,
  view,
} from '../../../../test/appointment-world';
import { count, staff } from '../../../../test/conversation-world';
import { professionals } from '../directory/directory.schema';
import { ANONYMOUS_CLIENT } from '../../../../test/http';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(() => t.close());

const now = () => t.clock.now();
const audits = (action: string, entityId: string) => auditCount(t.db, action, entityId);

describe('createAppointment', () => {
  it('Central Appointments books for the clinic: the full appointment, booked by its team, audited', async () => {
    const created = await book(w.clerk.client, booking(w, now()));
    expect(created).toMatchObject({
      patientId: w.margaret.id,
      organisation: { id: w.org.id, name: 'Riverside Hospital' },
      team: { id: w.clinic.id, name: 'Heart Clinic' },
      clinician: { id: w.clinician.id, name: 'Dr Hannah Heart' },
      durationMinutes: 30,
      location: 'Outpatients B, Level 2',
      preparation: 'Bring your medicines.',
      status: 'booked',
      version: 1,
      conversationId: null,
      canAskToChange: false, // staff do not ask; the patient does
      bookedBy: 'Central Appointments',
    });
    expect(new Date(created.endsAt).getTime() - new Date(created.startsAt).getTime()).toBe(
      30 * 60_000,
    );
    expect(new Date(created.startsAt).getTime() - new Date(created.changeCutoffAt).getTime()).toBe(
      72 * 60 * 60 * 1000,
    );
    expect(created.history).toEqual([
      expect.objectContaining({ kind: 'created', by: 'Colin Clerk, Central Appointments' }),
    ]);
    expect(await audits('appointment.created', created.id)).toBe(1);
  });

  it('a member of the clinic books for their own team', async () => {
    const created = await book(w.clinician.client, booking(w, now(), 20));
    expect(created.bookedBy).toBe('Heart Clinic');
  });

  it('Idempotency-Key: a retry answers as the first did and books nothing more (M5)', async () => {
    const payload = booking(w, now(), 30);
    const headers = { 'idempotency-key': 'book-once-1' };
    const first = await book(w.clerk.client, payload, headers);
    const again = await book(w.clerk.client, payload, headers);
    expect(again.id).toBe(first.id);
    expect(
      await count(
        t.db,
        sql`select count(*)::int as n from appointments where starts_at = ${payload.startsAt}::timestamptz`,
      ),
    ).toBe(1);
    await expectRefused(
      t.db,
      w.clerk.client,
      {
        method: 'POST',
        url: appointmentUrl.create,
        payload: { ...payload, location: 'Elsewhere' },
        headers,
      },
      { status: 422, code: 'idempotency.key_reused' },
    );
  });

  it.each([
    ['a duration under 5 minutes', { durationMinutes: 4 }, 'body/durationMinutes'],
    ['a duration over 12 hours', { durationMinutes: 721 }, 'body/durationMinutes'],
    ['an empty location', { location: '' }, 'body/location'],
    ['a location of spaces', { location: '   ' }, 'body/location'],
    ['a location over 200 characters', { location: 'x'.repeat(201) }, 'body/location'],
    ['preparation over 2,000 characters', { preparation: 'x'.repeat(2001) }, 'body/preparation'],
    ['a start that is not a date-time', { startsAt: 'next Tuesday' }, 'body/startsAt'],
    // RFC 3339 has leap seconds; JavaScript's dates do not, so this is no time we can keep.
    ['a start on a leap second', { startsAt: '2035-06-30T23:59:60Z' }, 'body/startsAt'],
    ['an unknown field', { colour: 'blue' }, 'body/colour'],
  ])('refuses %s: 400 request.invalid, nothing changed', async (_, extra, field) => {
    await expectRefused(
      t.db,
      w.clerk.client,
      { method: 'POST', url: appointmentUrl.create, payload: booking(w, now(), 14, extra) },
      { status: 400, code: 'request.invalid', errors: [{ field }] },
    );
  });

  it.each([
    [
      'a start in the past',
      () => ({ startsAt: new Date(now().getTime() - 60_000).toISOString() }),
      'body/startsAt',
      'appointment.starts_in_past',
    ],
    [
      'a clinician from another team',
      () => ({ clinicianProfessionalId: w.outsider.id }),
      'body/clinicianProfessionalId',
      'appointment.clinician_not_in_team',
    ],
    [
      'a patient not registered with the organisation',
      () => ({ patientId: w.unregistered.id }),
      'body/patientId',
      'appointment.patient_not_registered',
    ],
    [
      'an unknown team',
      () => ({ teamId: '00000000-0000-4000-8000-000000000000' }),
      'body/teamId',
      'appointment.unknown_team',
    ],
  ])('refuses %s with a field code', async (_, extra, field, code) => {
    await expectRefused(
      t.db,
      w.clerk.client,
      { method: 'POST', url: appointmentUrl.create, payload: booking(w, now(), 14, extra()) },
      { status: 400, code: 'request.invalid', errors: [{ field, code }] },
    );
  });

  it.each([
    ['a member of an unrelated team', () => w.outsider.client],
    ['Medical Records (record access, not booking)', () => w.recordsOfficer.client],
    ['the coordinator', () => w.coordinator.client],
    ['the patient', () => w.margaret.client],
    ['a carer', () => w.carol.client],
  ])('403 appointment.create_forbidden for %s', async (_, client) => {
    await expectRefused(
      t.db,
      client(),
      { method: 'POST', url: appointmentUrl.create, payload: booking(w, now()) },
      { status: 403, code: 'appointment.create_forbidden' },
    );
  });

  it('C5: a P5 patient is asked to verify; the anonymous to sign in', async () => {
    const payload = booking(w, now());
    await expectRefused(
      t.db,
      w.unverified.client,
      { method: 'POST', url: appointmentUrl.create, payload },
      { status: 403, code: 'identity.verification_required' },
    );
    await expectRefused(
      t.db,
      ANONYMOUS_CLIENT(t.app),
      { method: 'POST', url: appointmentUrl.create, payload },
      { status: 401, code: 'auth.unauthenticated' },
    );
  });
});

describe('updateAppointment: history and versions', () => {
  let appointment: AppointmentView;
  beforeAll(async () => {
    appointment = await book(w.clerk.client, booking(w, now(), 40));
  });

  it('a reschedule records the fields before and after, and the version goes up', async () => {
    const startsAt = new Date(now().getTime() + 41 * DAY_MS).toISOString();
    const response = await update(w.clerk.client, appointment.id, {
      version: 1,
      startsAt,
      location: 'Outpatients C',
      reason: 'Clinic moved',
    });
    expect(response.statusCode, response.body).toBe(200);
    const moved = response.json<AppointmentView>();
    expect(moved.version).toBe(2);
    expect(moved.location).toBe('Outpatients C');
    expect(moved.history.map((h) => h.kind)).toEqual(['created', 'rescheduled']);
    expect(moved.history[1]).toMatchObject({
      by: 'Colin Clerk, Central Appointments',
      reason: 'Clinic moved',
      changes: {
        startsAt: { from: appointment.startsAt, to: startsAt },
        location: { from: 'Outpatients B, Level 2', to: 'Outpatients C' },
      },
    });
  });

  it('other fields are an "updated" event; nothing changed is no event and no new version', async () => {
    const response = await update(w.clinician.client, appointment.id, {
      version: 2,
      preparation: 'Fast for 4 hours.',
    });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json<AppointmentView>();
    expect(updated.version).toBe(3);
    expect(updated.history.at(-1)).toMatchObject({
      kind: 'updated',
      by: 'Dr Hannah Heart, Heart Clinic',
      changes: { preparation: { from: 'Bring your medicines.', to: 'Fast for 4 hours.' } },
    });
    const same = await update(w.clinician.client, appointment.id, {
      version: 3,
      preparation: 'Fast for 4 hours.',
    });
    expect(same.json<AppointmentView>().version).toBe(3);
  });

  it('a body that resends the clinician unchanged is fine after they left the team', async () => {
    const locum = await staff(t.app, t.db, w.org.id, [{ teamId: w.clinic.id, role: 'member' }], {
      name: 'Dr Lou Locum',
    });
    const a = await book(
      w.clerk.client,
      booking(w, now(), 12, { clinicianProfessionalId: locum.id }),
    );
    await t.db.update(professionals).set({ active: false }).where(eq(professionals.id, locum.id));
    const moved = await update(w.clerk.client, a.id, {
      version: 1,
      clinicianProfessionalId: locum.id,
      location: 'Outpatients D',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<AppointmentView>().clinician?.id).toBe(locum.id);
    // Choosing them anew is still refused.
    const other = await book(w.clerk.client, booking(w, now(), 13));
    await expectRefused(
      t.db,
      w.clerk.client,
      {
        method: 'PATCH',
        url: appointmentUrl.one(other.id),
        payload: { version: 1, clinicianProfessionalId: locum.id },
      },
      {
        status: 400,
        code: 'request.invalid',
        errors: [
          { field: 'body/clinicianProfessionalId', code: 'appointment.clinician_not_in_team' },
        ],
      },
    );
  });

  it('a stale version is refused: 409 appointment.version_conflict, nothing changed', async () => {
    const before = await view(w.clerk.client, appointment.id);
    await expectRefused(
      t.db,
      w.clerk2.client,
      {
        method: 'PATCH',
        url: appointmentUrl.one(appointment.id),
        payload: { version: 1, location: 'Annex' },
      },
      { status: 409, code: 'appointment.version_conflict' },
    );
    const after = await view(w.clerk.client, appointment.id);
    expect(after.location).toBe(before.location);
    expect(after.version).toBe(before.version);
  });

  it('patients and carers see the team that acted, never a member of staff', async () => {
    const seen = await view(w.margaret.client, appointment.id);
    expect(seen.history.map((h) => h.by)).toEqual([
      'Central Appointments',
      'Central Appointments',
      'Heart Clinic',
    ]);
    const byCarer = await view(w.victor.client, appointment.id);
    expect(byCarer.history.map((h) => h.by)).not.toContain('Colin Clerk, Central Appointments');
  });

  it('a status change goes on its own', async () => {
    await expectRefused(
      t.db,
      w.clerk.client,
      {
        method: 'PATCH',
        url: appointmentUrl.one(appointment.id),
        payload: { version: 3, status: 'cancelled', location: 'Annex' },
      },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body/status', code: 'appointment.status_with_changes' }],
      },
    );
  });

  it('cancelled with a reason; after that, every change is 409 appointment.cancelled', async () => {
    const response = await update(w.clerk.client, appointment.id, {
      version: 3,
      status: 'cancelled',
      reason: 'Clinic cancelled',
    });
    expect(response.statusCode, response.body).toBe(200);
    const cancelled = response.json<AppointmentView>();
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 4 });
    expect(cancelled.history.at(-1)).toMatchObject({
      kind: 'cancelled',
      reason: 'Clinic cancelled',
      changes: { status: { from: 'booked', to: 'cancelled' } },
    });
    expect(await audits('appointment.cancelled', appointment.id)).toBe(1);
    await expectRefused(
      t.db,
      w.clerk.client,
      {
        method: 'PATCH',
        url: appointmentUrl.one(appointment.id),
        payload: { version: 4, location: 'Annex' },
      },
      { status: 409, code: 'appointment.cancelled' },
    );
  });

  it('attended or missed only once it has started: 422 appointment.not_started before', async () => {
    const a = await book(w.clerk.client, booking(w, now(), 2));
    await expectRefused(
      t.db,
      w.clinician.client,
      {
        method: 'PATCH',
        url: appointmentUrl.one(a.id),
        payload: { version: 1, status: 'fulfilled' },
      },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body/status', code: 'appointment.not_started' }],
      },
    );
    expect((await view(w.clerk.client, a.id)).status).toBe('booked');
  });

  it('a no-op change still shows the appointment, so it is an audited read (C4)', async () => {
    const a = await book(w.clerk.client, booking(w, now(), 5));
    const same = await update(w.clerk.client, a.id, { version: 1, location: a.location });
    expect(same.statusCode, same.body).toBe(200);
    expect(await audits('appointment.read', a.id)).toBe(1);
  });

  // Last: it moves the clock on ten minutes, past the start of the appointments it marks.
  it('fulfilled and no-show are recorded as such; then only corrected between the two', async () => {
    const soon = new Date(now().getTime() + 5 * 60_000).toISOString();
    const a = await book(w.clerk.client, { ...booking(w, now()), startsAt: soon });
    const b = await book(w.clerk.client, { ...booking(w, now()), startsAt: soon });
    expect((await view(w.clinician.client, a.id)).canRecordAttendance).toBe(false);
    t.clock.advance(10 * 60_000);
    // Once it has started, the booking teams may record attendance; readers and the patient not.
    expect((await view(w.clinician.client, a.id)).canRecordAttendance).toBe(true);
    expect((await view(w.recordsOfficer.client, a.id)).canRecordAttendance).toBe(false);
    const fulfilled = await update(w.clinician.client, a.id, { version: 1, status: 'fulfilled' });
    const noshow = await update(w.clinician.client, b.id, { version: 1, status: 'noshow' });
    expect(fulfilled.json<AppointmentView>().history.at(-1)?.kind).toBe('fulfilled');
    expect(noshow.json<AppointmentView>().history.at(-1)?.kind).toBe('noshow');
    expect(noshow.json<AppointmentView>().canRecordAttendance).toBe(false);
    // An attended appointment is not moved into the future, nor cancelled afterwards.
    const later = new Date(now().getTime() + 7 * DAY_MS).toISOString();
    for (const payload of [
      { version: 2, startsAt: later },
      { version: 2, status: 'cancelled' },
    ]) {
      await expectRefused(
        t.db,
        w.clerk.client,
        { method: 'PATCH', url: appointmentUrl.one(a.id), payload },
        { status: 409, code: 'appointment.closed' },
      );
    }
    const corrected = await update(w.clinician.client, a.id, { version: 2, status: 'noshow' });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json<AppointmentView>()).toMatchObject({ status: 'noshow', version: 3 });
  });
});
