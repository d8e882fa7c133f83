import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { notFound } from '../../platform/http/problem';
import {
  auditContextFor,
  type Actor,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { patientRegistrations } from '../patients/patients.schema';
import type { Appointment } from './appointments.contracts';
import {
  authoriseAppointment,
  factsFor,
  type PatientAccess,
  patientAccess,
  resourceOf,
  tellingFormerCarers,
} from './appointments.facts';
import { can, relationToAppointment } from './appointments.policy';
import { presentAppointment, presentAppointments } from './appointments.presenters';
import { appointments } from './appointments.schema';

/** The audit label of a carer reads as themselves, a carer (C1). */
function readerContext(reader: SignedInActor, patientId: string, request: RequestFacts, at: Date) {
  const context = auditContextFor(reader, request, at);
  if (reader.kind === 'patient' && reader.patientId !== patientId) {
    context.actorLabel = `${reader.name} (carer)`;
  }
  return context;
}

/** Opens an appointment; the read is audited in the same transaction (C4). */
export async function getAppointment(
  deps: AppDeps,
  actor: Actor,
  appointmentId: string,
  request: RequestFacts,
): Promise<Appointment> {
  const reader = requireVerifiedActor(actor);
  const at = deps.clock();
  // A former carer is told their care has ended, not "not found" (C1).
  return tellingFormerCarers(
    deps.db,
    reader,
    appointmentId,
    () => at,
    () => readAppointment(deps, reader, appointmentId, request, at),
  );
}

function readAppointment(
  deps: AppDeps,
  reader: SignedInActor,
  appointmentId: string,
  request: RequestFacts,
  at: Date,
): Promise<Appointment> {
  return withTransaction(deps.db, async (tx) => {
    const { row, access, facts } = await authoriseAppointment(
      tx,
      reader,
      appointmentId,
      'appointment.read',
      { at },
    );
    const appointment = await presentAppointment(tx, reader, row.id, access, at);
    await recordAudit(tx, readerContext(reader, row.patientId, request, at), {
      action: 'appointment.read',
      entityType: 'appointment',
      entityId: row.id,
      patientId: row.patientId,
      details: { relation: relationToAppointment(reader, resourceOf(row), facts) },
    });
    return appointment;
  });
}

const patientNotFound = () => notFound('patient.not_found', 'Patient not found');

/**
 * A patient's appointments — upcoming soonest first, past newest first, cancelled ones with
 * their status — as far as the reader may see them: all of them for the patient, carers
 * with consent in force and staff with record access; those of their teams for the booking
 * teams. Anyone who may see none, and may not book any, is told the patient does not exist.
 */
export async function listPatientAppointments(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
): Promise<{ upcoming: Appointment[]; past: Appointment[] }> {
  const reader = requireVerifiedActor(actor);
  return withTransaction(deps.db, async (tx) => {
    const at = deps.clock();
    const rows = await tx
      .select()
      .from(appointments)
      .where(eq(appointments.patientId, patientId))
      .orderBy(asc(appointments.startsAt), asc(appointments.id));
    const registrations = await tx
      .select({ organisationId: patientRegistrations.organisationId })
      .from(patientRegistrations)
      .where(eq(patientRegistrations.patientId, patientId));
    const organisationIds = [
      ...rows.map((r) => r.organisationId),
      ...registrations.map((r) => r.organisationId),
    ];
    const access = await patientAccess(tx, patientId, organisationIds, at);
    const visible = rows.filter((row) =>
      can(reader, 'appointment.read', resourceOf(row), factsFor(access, row.organisationId)),
    );
    if (visible.length === 0 && !mayList(reader, patientId, registrations, access)) {
      throw patientNotFound();
    }
    const presented = await presentAppointments(tx, reader, visible, access, at);
    await recordAudit(tx, readerContext(reader, patientId, request, at), {
      action: 'appointment.listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { count: presented.length },
    });
    const now = at.getTime();
    const upcoming = presented.filter((a) => new Date(a.endsAt).getTime() > now);
    const past = presented.filter((a) => new Date(a.endsAt).getTime() <= now).reverse();
    return { upcoming, past };
  });
}

/**
 * Whether the reader may look at the patient's appointments even when none is visible: the
 * patient, a carer, staff with record access, or a member of the appointments team of an
 * organisation the patient is registered with (who may book the first one).
 */
function mayList(
  reader: SignedInActor,
  patientId: string,
  registrations: { organisationId: string }[],
  access: PatientAccess,
): boolean {
  if (reader.kind === 'patient' && reader.patientId === patientId) return true;
  return registrations.some((r) => {
    const anyTeam = { patientId, organisationId: r.organisationId, teamId: '' };
    return can(reader, 'appointment.read', anyTeam, factsFor(access, r.organisationId));
  });
}
