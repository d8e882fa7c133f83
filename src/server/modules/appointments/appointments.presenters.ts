import { asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { privateConversations } from '../consent/consent.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import type { SignedInActor } from '../identity/actor';
import type { Appointment, AppointmentEventKind } from './appointments.contracts';
import {
  type AppointmentRow,
  factsFor,
  type PatientAccess,
  resourceOf,
} from './appointments.facts';
import { can } from './appointments.policy';
import { appointmentEvents, appointments } from './appointments.schema';

const HOUR_MS = 60 * 60 * 1000;

/** When patients stop being able to ask to change it: the organisation's cut-off before the start. */
export function changeCutoffAt(row: AppointmentRow, access: PatientAccess): Date {
  const hours = access.settingsOf(row.organisationId).changeCutoffHours;
  return new Date(row.startsAt.getTime() - hours * HOUR_MS);
}

/** A booked appointment whose cut-off is still ahead: the only kind patients may ask about. */
export function stillChangeable(row: AppointmentRow, access: PatientAccess, now: Date): boolean {
  return row.status === 'booked' && now.getTime() < changeCutoffAt(row, access).getTime();
}

/**
 * Appointments as this actor may see them, with their history and whether the actor may ask
 * to change them now. Patients and carers see the team that acted, never a member of staff.
 */
export async function presentAppointments(
  tx: Tx,
  actor: SignedInActor,
  rows: AppointmentRow[],
  access: PatientAccess,
  now: Date,
): Promise<Appointment[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const events = await tx
    .select()
    .from(appointmentEvents)
    .where(inArray(appointmentEvents.appointmentId, ids))
    .orderBy(asc(appointmentEvents.at), asc(appointmentEvents.version));
  const teamIds = new Set<string>();
  for (const row of rows) {
    teamIds.add(row.teamId);
    if (row.bookedByTeamId) teamIds.add(row.bookedByTeamId);
  }
  for (const event of events) if (event.changedByTeamId) teamIds.add(event.changedByTeamId);
  const teamRows = await tx
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(inArray(teams.id, [...teamIds]));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  const organisationRows = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(
      inArray(
        organisations.id,
        rows.map((r) => r.organisationId),
      ),
    );
  const organisationName = new Map(organisationRows.map((o) => [o.id, o.name]));
  const clinicianIds = rows.flatMap((r) =>
    r.clinicianProfessionalId ? [r.clinicianProfessionalId] : [],
  );
  const clinicianName = new Map(
    (clinicianIds.length === 0
      ? []
      : await tx
          .select({ id: professionals.id, name: professionals.name })
          .from(professionals)
          .where(inArray(professionals.id, clinicianIds))
    ).map((p) => [p.id, p.name]),
  );
  const staffView = actor.kind === 'professional';
  const privateFromViewer = await conversationsPrivateFromCarer(tx, actor, rows);

  return rows.map((row) => {
    const cutoff = changeCutoffAt(row, access);
    const facts = factsFor(access, row.organisationId);
    // A carer neither follows nor adds to a conversation the patient made private (C1).
    const hidden = row.conversationId !== null && privateFromViewer.has(row.conversationId);
    return {
      id: row.id,
      patientId: row.patientId,
      organisation: {
        id: row.organisationId,
        name: organisationName.get(row.organisationId) ?? '',
      },
      team: { id: row.teamId, name: teamName.get(row.teamId) ?? '' },
      clinician: row.clinicianProfessionalId
        ? {
            id: row.clinicianProfessionalId,
            name: clinicianName.get(row.clinicianProfessionalId) ?? '',
          }
        : null,
      startsAt: row.startsAt.toISOString(),
      endsAt: new Date(row.startsAt.getTime() + row.durationMinutes * 60_000).toISOString(),
      durationMinutes: row.durationMinutes,
      location: row.location,
      preparation: row.preparation,
      status: row.status,
      version: row.version,
      conversationId: hidden ? null : row.conversationId,
      changeCutoffAt: cutoff.toISOString(),
      canAskToChange:
        !hidden &&
        stillChangeable(row, access, now) &&
        can(actor, 'appointment.requestChange', resourceOf(row), facts),
      canChange: can(actor, 'appointment.update', resourceOf(row), facts),
      canRecordAttendance:
        row.status === 'booked' &&
        row.startsAt.getTime() <= now.getTime() &&
        can(actor, 'appointment.update', resourceOf(row), facts),
      bookedBy: teamName.get(row.bookedByTeamId ?? row.teamId) ?? '',
      history: events
        .filter((e) => e.appointmentId === row.id)
        .map((e) => ({
          kind: e.kind as AppointmentEventKind,
          at: e.at.toISOString(),
          by: staffView
            ? e.changedByLabel
            : e.changedByTeamId
              ? (teamName.get(e.changedByTeamId) ?? '')
              : e.changedByUserId === actor.userId
                ? 'You'
                : e.changedByLabel,
          changes: e.changes ?? null,
          reason: e.reason,
        })),
    };
  });
}

/** One appointment, freshly read, as this actor may see it. */
export async function presentAppointment(
  tx: Tx,
  actor: SignedInActor,
  appointmentId: string,
  access: PatientAccess,
  now: Date,
): Promise<Appointment> {
  const rows = await tx.select().from(appointments).where(eq(appointments.id, appointmentId));
  const [presented] = await presentAppointments(tx, actor, rows, access, now);
  if (!presented) throw new Error('appointment vanished');
  return presented;
}

/** The appointments' conversations a carer may not see: those the patient made private (C1). */
async function conversationsPrivateFromCarer(
  tx: Tx,
  actor: SignedInActor,
  rows: AppointmentRow[],
): Promise<Set<string>> {
  const ids = rows.flatMap((row) =>
    actor.kind === 'patient' && row.patientId !== actor.patientId && row.conversationId
      ? [row.conversationId]
      : [],
  );
  if (ids.length === 0) return new Set();
  const found = await tx
    .select({ id: privateConversations.conversationId })
    .from(privateConversations)
    .where(inArray(privateConversations.conversationId, ids));
  return new Set(found.map((row) => row.id));
}
