import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Appointment } from '../src/server/modules/appointments/appointments.contracts';
import { appointmentSettings } from '../src/server/modules/appointments/appointments.schema';
import type { Database } from '../src/server/platform/db/database';
import { makeCarer } from './consent-world';
import { count, expectStatus, patient, staff } from './conversation-world';
import { createOrganisation, createTeam } from './factories';
import type { Client } from './http';

/** Helpers for appointment tests: a hospital with a clinic and Central Appointments. */

export const appointmentUrl = {
  create: '/api/v1/appointments',
  one: (id: string) => `/api/v1/appointments/${id}`,
  requests: (id: string) => `/api/v1/appointments/${id}/requests`,
  ofPatient: (patientId: string) => `/api/v1/patients/${patientId}/appointments`,
};

/** An appointment as the API answers it. */
export type AppointmentView = Appointment;

/** How many audit events of this action name this entity (C4). */
export const auditCount = (db: Database, action: string, entityId: string) =>
  count(
    db,
    sql`select count(*)::int as n from audit_events where action = ${action} and entity_id = ${entityId}`,
  );

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * One organisation: the Heart Clinic (the clinical team), Central Appointments (nominated,
 * not contactable: patients never address it themselves), Medical Records (a care
 * relationship: record access), an unrelated team, and an admin team with the coordinator.
 * Margaret is the patient; Carol cares for her with message consent, Victor with view
 * consent; Rita's consent gets revoked. Another organisation has its own professional.
 */
export async function appointmentWorld(app: FastifyInstance, db: Database) {
  const org = await createOrganisation(db, 'Riverside Hospital');
  const elsewhere = await createOrganisation(db);
  const clinic = await createTeam(db, org.id, { name: 'Heart Clinic', contactable: true });
  const central = await createTeam(db, org.id, {
    name: 'Central Appointments',
    contactable: false,
  });
  const records = await createTeam(db, org.id, { name: 'Medical Records', contactable: false });
  const unrelated = await createTeam(db, org.id, { name: 'Dermatology', contactable: true });
  const admin = await createTeam(db, org.id, { name: 'Admin', contactable: false });
  const otherTeam = await createTeam(db, elsewhere.id, { name: 'Other Clinic' });
  await db
    .insert(appointmentSettings)
    .values({ organisationId: org.id, appointmentsTeamId: central.id, changeCutoffHours: 72 });

  const clinician = await staff(app, db, org.id, [{ teamId: clinic.id, role: 'member' }], {
    name: 'Dr Hannah Heart',
  });
  const clerk = await staff(app, db, org.id, [{ teamId: central.id, role: 'member' }], {
    name: 'Colin Clerk',
  });
  const clerk2 = await staff(app, db, org.id, [{ teamId: central.id, role: 'member' }], {
    name: 'Clara Clerk',
  });
  const recordsOfficer = await staff(app, db, org.id, [{ teamId: records.id, role: 'member' }], {
    name: 'Rob Records',
  });
  const outsider = await staff(app, db, org.id, [{ teamId: unrelated.id, role: 'member' }], {
    name: 'Derek Derm',
  });
  const coordinator = await staff(app, db, org.id, [{ teamId: admin.id, role: 'coordinator' }], {
    name: 'Claire Coordinator',
  });
  const foreigner = await staff(app, db, elsewhere.id, [{ teamId: otherTeam.id, role: 'member' }], {
    name: 'Fred Foreign',
  });
  const margaret = await patient(app, db, [org.id], {
    careTeamIds: [records.id],
    givenName: 'Margaret',
    familyName: 'Thompson',
  });
  const otherPatient = await patient(app, db, [org.id], { givenName: 'Oscar' });
  const unregistered = await patient(app, db, [elsewhere.id], { givenName: 'Ulla' });
  const unverified = await patient(app, db, [org.id], { givenName: 'Una', identityLevel: 'P5' });
  const carol = await patient(app, db, [org.id], { givenName: 'Carol' });
  const victor = await patient(app, db, [org.id], { givenName: 'Victor' });
  const rita = await patient(app, db, [org.id], { givenName: 'Rita' });
  await makeCarer(margaret, carol, 'message');
  await makeCarer(margaret, victor, 'view');
  const ritasConsent = await makeCarer(margaret, rita, 'message');
  return {
    org,
    elsewhere,
    clinic,
    central,
    records,
    unrelated,
    admin,
    otherTeam,
    clinician,
    clerk,
    clerk2,
    recordsOfficer,
    outsider,
    coordinator,
    foreigner,
    margaret,
    otherPatient,
    unregistered,
    unverified,
    carol,
    victor,
    rita,
    ritasConsent,
  };
}
export type AppointmentWorld = Awaited<ReturnType<typeof appointmentWorld>>;

/** A valid booking for Margaret with the Heart Clinic, `days` after `from`. */
export function booking(
  w: AppointmentWorld,
  from: Date,
  days = 14,
  extra: Record<string, unknown> = {},
) {
  return {
    patientId: w.margaret.id,
    teamId: w.clinic.id,
    clinicianProfessionalId: w.clinician.id,
    startsAt: new Date(from.getTime() + days * DAY_MS).toISOString(),
    durationMinutes: 30,
    location: 'Outpatients B, Level 2',
    preparation: 'Bring your medicines.',
    ...extra,
  };
}

export async function book(
  client: Client,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<AppointmentView> {
  const response = await expectStatus(
    client,
    { method: 'POST', url: appointmentUrl.create, payload, headers },
    201,
  );
  return response.json<AppointmentView>();
}

export const update = (client: Client, id: string, payload: Record<string, unknown>) =>
  client.request({ method: 'PATCH', url: appointmentUrl.one(id), payload });

export const ask = (
  client: Client,
  id: string,
  payload: { kind: 'cancel' | 'change'; message: string },
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> =>
  client.request({ method: 'POST', url: appointmentUrl.requests(id), payload, headers });

export async function view(client: Client, id: string): Promise<AppointmentView> {
  const response = await expectStatus(client, { method: 'GET', url: appointmentUrl.one(id) }, 200);
  return response.json<AppointmentView>();
}
