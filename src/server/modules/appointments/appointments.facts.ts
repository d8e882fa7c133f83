import { and, eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { AppError, forbidden, notFound } from '../../platform/http/problem';
import { carerAccessEnded, formerCarerWouldSee } from '../consent/consent.care-ended';
import { timeLimitedAccess } from '../consent/consent.record-access';
import { consentActiveAt } from '../consent/consent.queries';
import { carerConsents } from '../consent/consent.schema';
import type { SignedInActor } from '../identity/actor';
import { careRelationships } from '../patients/patients.schema';
import {
  type AppointmentAction,
  type AppointmentFacts,
  type AppointmentResource,
  can,
} from './appointments.policy';
import { appointments, appointmentSettings } from './appointments.schema';

export type AppointmentRow = typeof appointments.$inferSelect;

/** The cut-off when an organisation has set none: 72 hours before the start. */
export const DEFAULT_CHANGE_CUTOFF_HOURS = 72;

export interface OrganisationSettings {
  appointmentsTeamId: string | null;
  changeCutoffHours: number;
  /** The save they come from: 0 while none has been saved ("not set"). */
  version: number;
}

/** Who may see a patient's appointments at one moment, and each organisation's settings. */
export interface PatientAccess {
  recordAccessTeamIds: string[];
  breakGlassProfessionalIds: string[];
  carers: { userId: string; level: 'view' | 'message' }[];
  settingsOf(organisationId: string): OrganisationSettings;
}

export const appointmentNotFound = () => notFound('appointment.not_found', 'Appointment not found');

export async function settingsOf(tx: Tx, organisationId: string): Promise<OrganisationSettings> {
  const [row] = await tx
    .select()
    .from(appointmentSettings)
    .where(eq(appointmentSettings.organisationId, organisationId));
  return {
    appointmentsTeamId: row?.appointmentsTeamId ?? null,
    changeCutoffHours: row?.changeCutoffHours ?? DEFAULT_CHANGE_CUTOFF_HOURS,
    version: row?.version ?? 0,
  };
}

/**
 * Care relationships, grants, break-glass and carers' consents in force at `at` (C1, C2),
 * read afresh on every request, never cached, with the settings of the organisations named.
 */
export async function patientAccess(
  tx: Tx,
  patientId: string,
  organisationIds: readonly string[],
  at: Date,
): Promise<PatientAccess> {
  const care = await tx
    .select({ teamId: careRelationships.teamId })
    .from(careRelationships)
    .where(eq(careRelationships.patientId, patientId));
  const { grants, breakGlass } = await timeLimitedAccess(tx, patientId, at);
  const carers = await tx
    .select({ userId: carerConsents.carerUserId, level: carerConsents.level })
    .from(carerConsents)
    .where(and(eq(carerConsents.patientId, patientId), consentActiveAt(at)));
  const settings = new Map<string, OrganisationSettings>();
  for (const id of new Set(organisationIds)) settings.set(id, await settingsOf(tx, id));
  return {
    recordAccessTeamIds: [...care.map((c) => c.teamId), ...grants.map((g) => g.teamId)],
    breakGlassProfessionalIds: breakGlass.map((b) => b.professionalId),
    carers,
    settingsOf: (organisationId) =>
      settings.get(organisationId) ?? {
        appointmentsTeamId: null,
        changeCutoffHours: DEFAULT_CHANGE_CUTOFF_HOURS,
        version: 0,
      },
  };
}

export function factsFor(access: PatientAccess, organisationId: string): AppointmentFacts {
  return {
    appointmentsTeamId: access.settingsOf(organisationId).appointmentsTeamId,
    recordAccessTeamIds: access.recordAccessTeamIds,
    breakGlassProfessionalIds: access.breakGlassProfessionalIds,
    carers: access.carers,
  };
}

export const resourceOf = (row: AppointmentRow): AppointmentResource => ({
  patientId: row.patientId,
  organisationId: row.organisationId,
  teamId: row.teamId,
});

export interface LoadedAppointment {
  row: AppointmentRow;
  access: PatientAccess;
  facts: AppointmentFacts;
}

/**
 * Loads an appointment and checks an action: invisible → 404, visible but not allowed → 403.
 * `lock` takes the row FOR UPDATE, so changes to one appointment happen one at a time.
 */
export async function authoriseAppointment(
  tx: Tx,
  actor: SignedInActor,
  appointmentId: string,
  action: AppointmentAction,
  options: { at: Date; lock?: boolean },
): Promise<LoadedAppointment> {
  const query = tx.select().from(appointments).where(eq(appointments.id, appointmentId));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw appointmentNotFound();
  const access = await patientAccess(tx, row.patientId, [row.organisationId], options.at);
  const facts = factsFor(access, row.organisationId);
  if (!can(actor, 'appointment.read', resourceOf(row), facts)) throw appointmentNotFound();
  if (!can(actor, action, resourceOf(row), facts)) {
    throw forbidden(
      `appointment.${action.split('.')[1]}_forbidden`,
      'You cannot do this with this appointment.',
    );
  }
  return { row, access, facts };
}

const isAppointmentNotFound = (error: unknown) =>
  error instanceof AppError && error.code === 'appointment.not_found';

/**
 * Runs `attempt`; when it refuses as not found a former carer of the appointment's patient
 * who would otherwise see it, tells them their care has ended instead (C1). A carer saw all of
 * the patient's appointments, so that is any booked before their care ended. `refusedAt` is
 * the moment the attempt was refused at: a consent that ended while the attempt ran counts.
 */
export async function tellingFormerCarers<T>(
  db: Database,
  actor: SignedInActor,
  appointmentId: string,
  refusedAt: () => Date,
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (
      isAppointmentNotFound(error) &&
      actor.kind === 'patient' &&
      (await formerCarerOf(db, actor, appointmentId, refusedAt()))
    ) {
      throw carerAccessEnded();
    }
    throw error;
  }
}

async function formerCarerOf(
  db: Database,
  actor: SignedInActor,
  appointmentId: string,
  at: Date,
): Promise<boolean> {
  const [row] = await db.select().from(appointments).where(eq(appointments.id, appointmentId));
  if (!row) return false;
  return formerCarerWouldSee(db, actor, row, at, (care) =>
    can(actor, 'appointment.read', resourceOf(row), {
      appointmentsTeamId: null,
      recordAccessTeamIds: [],
      breakGlassProfessionalIds: [],
      carers: [{ userId: actor.userId, level: care.level }],
    }),
  );
}
