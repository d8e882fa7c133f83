import { sql } from 'drizzle-orm';
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
import { consentUrl } from '../../../../test/consent-world';
import {
  count,
  expectStatus,
  patient as signedInPatient,
  problemOf,
} from '../../../../test/conversation-world';
import { ANONYMOUS_CLIENT, type Client } from '../../../../test/http';
import { expectRefused, signInAs } from '../../../../test/personas';
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

describe('who sees and changes an appointment: invisible 404, visible but forbidden 403', () => {
  let appointment: AppointmentView;
  beforeAll(async () => {
    appointment = await book(w.clerk.client, booking(w, now(), 50));
  });

  const readers: [string, () => Client][] = [
    ['the patient', () => w.margaret.client],
    ['a carer with view consent', () => w.victor.client],
    ['a carer with message consent', () => w.carol.client],
    ['a member of the appointment’s team', () => w.clinician.client],
    ['a member of the nominated appointments team', () => w.clerk2.client],
    ['Medical Records (care relationship)', () => w.recordsOfficer.client],
  ];
  it.each(readers)('%s reads it (audited)', async (_, client) => {
    const before = await audits('appointment.read', appointment.id);
    const seen = await view(client(), appointment.id);
    expect(seen.id).toBe(appointment.id);
    expect(await audits('appointment.read', appointment.id)).toBe(before + 1);
  });

  const strangers: [string, () => Client][] = [
    ['another patient', () => w.otherPatient.client],
    ['a member of an unrelated team', () => w.outsider.client],
    ['a professional of another organisation', () => w.foreigner.client],
    ['the coordinator (no record access)', () => w.coordinator.client],
  ];
  it.each(strangers)(
    '%s gets 404 for every operation, and it changes nothing',
    async (_, client) => {
      for (const request of [
        { method: 'GET' as const, url: appointmentUrl.one(appointment.id) },
        {
          method: 'PATCH' as const,
          url: appointmentUrl.one(appointment.id),
          payload: { version: 1, location: 'X' },
        },
        {
          method: 'POST' as const,
          url: appointmentUrl.requests(appointment.id),
          payload: { kind: 'change', message: 'Hi' },
        },
      ]) {
        await expectRefused(t.db, client(), request, {
          status: 404,
          code: 'appointment.not_found',
        });
      }
    },
  );

  it.each([
    ['the patient', () => w.margaret.client],
    ['a carer', () => w.carol.client],
    ['Medical Records', () => w.recordsOfficer.client],
  ])('%s may not change it: 403 appointment.update_forbidden', async (_, client) => {
    await expectRefused(
      t.db,
      client(),
      {
        method: 'PATCH',
        url: appointmentUrl.one(appointment.id),
        payload: { version: 1, location: 'X' },
      },
      { status: 403, code: 'appointment.update_forbidden' },
    );
  });

  it('C5: a P5 patient is refused like for messages; the anonymous must sign in', async () => {
    await expectRefused(
      t.db,
      w.unverified.client,
      { method: 'GET', url: appointmentUrl.one(appointment.id) },
      { status: 403, code: 'identity.verification_required' },
    );
    await expectRefused(
      t.db,
      ANONYMOUS_CLIENT(t.app),
      { method: 'GET', url: appointmentUrl.one(appointment.id) },
      { status: 401, code: 'auth.unauthenticated' },
    );
  });

  it('C1: a carer whose consent is revoked loses it on the very next request', async () => {
    await view(w.rita.client, appointment.id);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(w.ritasConsent) },
      200,
    );
    const response = await w.rita.client.request({
      method: 'GET',
      url: appointmentUrl.one(appointment.id),
    });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).code).toBe('appointment.not_found');
    const list = await w.rita.client.request({
      method: 'GET',
      url: appointmentUrl.ofPatient(w.margaret.id),
    });
    expect(list.statusCode).toBe(404);
  });
});

describe('listPatientAppointments', () => {
  it('the nominated team sees an empty list before booking; the unrelated see no patient', async () => {
    const patient = await signedInPatient(t.app, t.db, [w.org.id]);
    const empty = await expectStatus(
      w.clerk.client,
      { method: 'GET', url: appointmentUrl.ofPatient(patient.id) },
      200,
    );
    expect(empty.json()).toEqual({ upcoming: [], past: [] });
    for (const client of [
      w.outsider.client,
      w.foreigner.client,
      w.otherPatient.client,
      w.coordinator.client,
    ]) {
      await expectRefused(
        t.db,
        client,
        { method: 'GET', url: appointmentUrl.ofPatient(patient.id) },
        { status: 404, code: 'patient.not_found' },
      );
    }
  });

  it('a team sees only its own appointments without record access', async () => {
    const patient = await signedInPatient(t.app, t.db, [w.org.id]);
    const withClinic = await book(w.clerk.client, { ...booking(w, now()), patientId: patient.id });
    await book(w.clerk.client, {
      ...booking(w, now()),
      patientId: patient.id,
      teamId: w.unrelated.id,
      clinicianProfessionalId: null,
    });
    const response = await expectStatus(
      w.clinician.client,
      { method: 'GET', url: appointmentUrl.ofPatient(patient.id) },
      200,
    );
    const lists = response.json<{ upcoming: AppointmentView[] }>();
    expect(lists.upcoming.map((a) => a.id)).toEqual([withClinic.id]);
  });

  it('canChange says who may change it: the booking teams, not readers with record access', async () => {
    const appointment = await book(w.clerk.client, booking(w, now(), 45));
    expect((await view(w.clerk2.client, appointment.id)).canChange).toBe(true);
    expect((await view(w.clinician.client, appointment.id)).canChange).toBe(true);
    expect((await view(w.recordsOfficer.client, appointment.id)).canChange).toBe(false);
    expect((await view(w.margaret.client, appointment.id)).canChange).toBe(false);
  });

  it('the patient sees in "Who has seen my record" that staff booked and read it (C4)', async () => {
    const appointment = await book(w.clerk.client, booking(w, now(), 40));
    await view(w.clinician.client, appointment.id);
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    const whats = log
      .json<{ items: { what: string; team: string | null }[] }>()
      .items.map((item) => item.what);
    expect(whats).toContain('Booked an appointment');
    expect(whats).toContain('Looked at an appointment');
  });

  // Last: it moves the clock two days on, which ends everyone's session.
  it('upcoming soonest first, past newest first, cancelled ones with their status; audited', async () => {
    const patient = await signedInPatient(t.app, t.db, [w.org.id], { careTeamIds: [w.records.id] });
    const mk = (days: number) =>
      book(w.clerk.client, { ...booking(w, now(), days), patientId: patient.id });
    const soon = await mk(3);
    const later = await mk(9);
    const cancelled = await mk(6);
    await update(w.clerk.client, cancelled.id, { version: 1, status: 'cancelled' });
    const early = await mk(1);
    t.clock.advance(2 * DAY_MS); // `early` is now over; sessions have ended meanwhile
    patient.client = await signInAs(t.app, patient.email);
    const response = await expectStatus(
      patient.client,
      { method: 'GET', url: appointmentUrl.ofPatient(patient.id) },
      200,
    );
    const lists = response.json<{ upcoming: AppointmentView[]; past: AppointmentView[] }>();
    expect(lists.upcoming.map((a) => a.id)).toEqual([soon.id, cancelled.id, later.id]);
    expect(lists.upcoming[1]?.status).toBe('cancelled');
    expect(lists.past.map((a) => a.id)).toEqual([early.id]);
    expect(
      await count(
        t.db,
        sql`select count(*)::int as n from audit_events where action = 'appointment.listed' and patient_id = ${patient.id}`,
      ),
    ).toBe(1);
  });
});
