import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, invalid } from '../../platform/http/problem';
import { type Outcome, onceOnly } from '../../platform/idempotency/idempotency';
import { professionals, teamMemberships, teams } from '../directory/directory.schema';
import {
  inTransaction,
  type Actor,
  type ProfessionalActor,
  type RequestFacts,
} from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { notifyAppointmentUpdate } from '../notifications/notifications.appointments';
import { patientRegistrations } from '../patients/patients.schema';
import type {
  Appointment,
  AppointmentEventKind,
  CreateAppointmentInput,
  UpdateAppointmentInput,
} from './appointments.contracts';
import {
  type AppointmentRow,
  authoriseAppointment,
  factsFor,
  patientAccess,
} from './appointments.facts';
import { latestStart, MAX_YEARS_AHEAD } from './appointments.horizon';
import { actingTeamId, type AppointmentResource, can } from './appointments.policy';
import { presentAppointment } from './appointments.presenters';
import { appointmentEvents, appointments } from './appointments.schema';

interface Idempotency {
  key: string | undefined;
}

type Changes = Record<string, { from: unknown; to: unknown }>;

/** "Name, Team": how staff are shown to staff in an appointment's history. */
export function staffLabel(actor: ProfessionalActor, teamId: string | null): string {
  const team = actor.memberships.find((m) => m.teamId === teamId);
  return team ? `${actor.name}, ${team.teamName}` : actor.name;
}

const startsInPast = () =>
  invalid([
    {
      field: 'body/startsAt',
      code: 'appointment.starts_in_past',
      message: 'Choose a time in the future',
    },
  ]);

/** A new start must be after now and no later than `latestStart(now)`. */
function checkStart(startsAt: Date, now: Date): void {
  if (startsAt.getTime() <= now.getTime()) throw startsInPast();
  if (startsAt.getTime() > latestStart(now).getTime()) {
    throw invalid([
      {
        field: 'body/startsAt',
        code: 'appointment.too_far_ahead',
        message: `The appointment must be within the next ${MAX_YEARS_AHEAD} years`,
      },
    ]);
  }
}

/** The clinician must be an active member of the appointment's team. */
async function checkClinician(tx: Tx, teamId: string, professionalId: string): Promise<void> {
  const [member] = await tx
    .select({ id: professionals.id })
    .from(teamMemberships)
    .innerJoin(professionals, eq(professionals.id, teamMemberships.professionalId))
    .where(
      and(
        eq(teamMemberships.teamId, teamId),
        eq(teamMemberships.professionalId, professionalId),
        eq(professionals.active, true),
      ),
    );
  if (!member) {
    throw invalid([
      {
        field: 'body/clinicianProfessionalId',
        code: 'appointment.clinician_not_in_team',
        message: 'Choose a clinician of the appointment’s team',
      },
    ]);
  }
}

/**
 * Books an appointment for a patient with a clinical team: by a member of that team or of
 * the organisation's nominated appointments team acting for it. The patient and carers are
 * told, content-free (N2), through the outbox.
 */
export async function createAppointment(
  deps: AppDeps,
  actor: Actor,
  input: CreateAppointmentInput,
  request: RequestFacts & Idempotency,
): Promise<Outcome<Appointment>> {
  const author = requireVerifiedActor(actor);
  if (author.kind !== 'professional') {
    throw forbidden('appointment.create_forbidden', 'Appointments are booked by staff.');
  }
  return inTransaction(deps, author, request, (tx, audit) =>
    onceOnly(
      tx,
      request.key
        ? {
            userId: author.userId,
            key: request.key,
            operation: 'createAppointment',
            request: input,
            now: audit.now,
          }
        : null,
      async () => {
        const [team] = await tx.select().from(teams).where(eq(teams.id, input.teamId));
        if (!team?.active) {
          throw invalid([
            {
              field: 'body/teamId',
              code: 'appointment.unknown_team',
              message: 'Choose an active team',
            },
          ]);
        }
        const [registration] = await tx
          .select()
          .from(patientRegistrations)
          .where(
            and(
              eq(patientRegistrations.patientId, input.patientId),
              eq(patientRegistrations.organisationId, team.organisationId),
            ),
          );
        if (!registration) {
          throw invalid([
            {
              field: 'body/patientId',
              code: 'appointment.patient_not_registered',
              message: 'The patient is not registered with the team’s organisation',
            },
          ]);
        }
        const resource: AppointmentResource = {
          patientId: input.patientId,
          organisationId: team.organisationId,
          teamId: team.id,
        };
        const access = await patientAccess(tx, input.patientId, [team.organisationId], audit.now);
        const facts = factsFor(access, team.organisationId);
        if (!can(author, 'appointment.create', resource, facts)) {
          throw forbidden(
            'appointment.create_forbidden',
            'Only the team or the organisation’s appointments team can book with it.',
          );
        }
        const startsAt = new Date(input.startsAt);
        checkStart(startsAt, audit.now);
        if (input.clinicianProfessionalId) {
          await checkClinician(tx, team.id, input.clinicianProfessionalId);
        }
        const bookedByTeamId = actingTeamId(author, resource, facts);
        const [row] = await tx
          .insert(appointments)
          .values({
            patientId: input.patientId,
            organisationId: team.organisationId,
            teamId: team.id,
            clinicianProfessionalId: input.clinicianProfessionalId ?? null,
            startsAt,
            durationMinutes: input.durationMinutes,
            location: input.location.trim(),
            preparation: (input.preparation ?? '').trim(),
            status: 'booked',
            version: 1,
            bookedByUserId: author.userId,
            bookedByTeamId,
            createdAt: audit.now,
            updatedAt: audit.now,
          })
          .returning();
        if (!row) throw new Error('appointment insert returned nothing');
        await tx.insert(appointmentEvents).values({
          appointmentId: row.id,
          patientId: row.patientId,
          kind: 'created',
          changes: null,
          changedByUserId: author.userId,
          changedByTeamId: bookedByTeamId,
          changedByLabel: staffLabel(author, bookedByTeamId),
          version: 1,
          at: audit.now,
        });
        await recordAudit(tx, audit, {
          action: 'appointment.created',
          entityType: 'appointment',
          entityId: row.id,
          patientId: row.patientId,
          details: { teamId: row.teamId, ...(bookedByTeamId ? { bookedByTeamId } : {}) },
        });
        await notifyAppointmentUpdate(tx, row, audit.now);
        return {
          statusCode: 201,
          body: await presentAppointment(tx, author, row.id, access, audit.now),
        };
      },
      async (first) => {
        await authoriseAppointment(tx, author, first.id, 'appointment.read', { at: audit.now });
      },
    ),
  );
}

/**
 * Changes, cancels or closes an appointment (staff of its team or the appointments team).
 * The update names the version it was made against: a stale one is refused, so of two
 * people changing the same appointment the second is told to look again. Each change is
 * one history row with the fields before and after; moving or cancelling tells the patient.
 */
export async function updateAppointment(
  deps: AppDeps,
  actor: Actor,
  appointmentId: string,
  input: UpdateAppointmentInput,
  request: RequestFacts,
): Promise<Appointment> {
  const author = requireVerifiedActor(actor);
  return inTransaction(deps, author, request, async (tx, audit) => {
    const { row, access, facts } = await authoriseAppointment(
      tx,
      author,
      appointmentId,
      'appointment.update',
      { at: audit.now, lock: true },
    );
    if (row.status === 'cancelled') {
      throw conflict('appointment.cancelled', 'This appointment has been cancelled.');
    }
    if (row.version !== input.version) {
      throw conflict(
        'appointment.version_conflict',
        'Someone else changed this appointment. Look at it again before changing it.',
      );
    }
    const changes = changesOf(row, input);
    if (input.status !== undefined && Object.keys(changes).some((field) => field !== 'status')) {
      throw invalid([
        {
          field: 'body/status',
          code: 'appointment.status_with_changes',
          message: 'Change the status on its own',
        },
      ]);
    }
    if (Object.keys(changes).length === 0) {
      // Nothing to change, but the answer shows the appointment: a read, audited (C4).
      await recordAudit(tx, audit, {
        action: 'appointment.read',
        entityType: 'appointment',
        entityId: row.id,
        patientId: row.patientId,
        details: { unchanged: true },
      });
      return presentAppointment(tx, author, row.id, access, audit.now);
    }
    checkStatusChange(row, changes, audit.now);
    if (changes.startsAt && input.startsAt !== undefined) {
      checkStart(new Date(input.startsAt), audit.now);
    }
    // Only a new clinician is checked: one who has since left still stands on a resent body.
    if (changes.clinicianProfessionalId && input.clinicianProfessionalId) {
      await checkClinician(tx, row.teamId, input.clinicianProfessionalId);
    }
    const kind: AppointmentEventKind = changes.status
      ? (input.status as AppointmentEventKind)
      : changes.startsAt || changes.location
        ? 'rescheduled'
        : 'updated';
    const version = row.version + 1;
    const updated = await tx
      .update(appointments)
      .set({
        ...(input.startsAt !== undefined ? { startsAt: new Date(input.startsAt) } : {}),
        ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
        ...(input.location !== undefined ? { location: input.location.trim() } : {}),
        ...(input.preparation !== undefined ? { preparation: input.preparation.trim() } : {}),
        ...(input.clinicianProfessionalId !== undefined
          ? { clinicianProfessionalId: input.clinicianProfessionalId }
          : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        version,
        updatedAt: audit.now,
      })
      .where(and(eq(appointments.id, row.id), eq(appointments.version, input.version)))
      .returning({ id: appointments.id });
    if (updated.length === 0) {
      throw conflict(
        'appointment.version_conflict',
        'Someone else changed this appointment. Look at it again before changing it.',
      );
    }
    const teamId = actingTeamId(author, row, facts);
    await tx.insert(appointmentEvents).values({
      appointmentId: row.id,
      patientId: row.patientId,
      kind,
      changes,
      reason: input.reason?.trim() || null,
      changedByUserId: author.userId,
      changedByTeamId: teamId,
      changedByLabel: author.kind === 'professional' ? staffLabel(author, teamId) : author.name,
      version,
      at: audit.now,
    });
    await recordAudit(tx, audit, {
      action: kind === 'cancelled' ? 'appointment.cancelled' : 'appointment.updated',
      entityType: 'appointment',
      entityId: row.id,
      patientId: row.patientId,
      details: { kind, fields: Object.keys(changes), version },
    });
    // Anything the patient should act on (time, place, who, how to prepare) is news; a record
    // of attendance is not.
    if (kind !== 'fulfilled' && kind !== 'noshow') {
      await notifyAppointmentUpdate(tx, { ...row, version }, audit.now);
    }
    return presentAppointment(tx, author, row.id, access, audit.now);
  });
}

/**
 * What happened cannot be undone by moving it: an attended or missed appointment keeps its
 * details and may only be corrected between the two; and only one that has started can be
 * marked attended or missed.
 */
function checkStatusChange(row: AppointmentRow, changes: Changes, now: Date): void {
  const to = changes.status?.to;
  const closed = row.status === 'fulfilled' || row.status === 'noshow';
  if (closed && (to === undefined || to === 'cancelled')) {
    throw conflict(
      'appointment.closed',
      'This appointment has already been marked as attended or missed, so it cannot be changed.',
    );
  }
  if ((to === 'fulfilled' || to === 'noshow') && row.startsAt.getTime() > now.getTime()) {
    throw invalid([
      {
        field: 'body/status',
        code: 'appointment.not_started',
        message: 'Mark an appointment as attended or missed only once it has started',
      },
    ]);
  }
}

/** The fields the update really changes, before and after (times as ISO text). */
function changesOf(row: AppointmentRow, input: UpdateAppointmentInput): Changes {
  const changes: Changes = {};
  if (input.startsAt !== undefined) {
    const to = new Date(input.startsAt);
    if (to.getTime() !== row.startsAt.getTime()) {
      changes.startsAt = { from: row.startsAt.toISOString(), to: to.toISOString() };
    }
  }
  const plain = [
    ['durationMinutes', row.durationMinutes, input.durationMinutes],
    ['location', row.location, input.location?.trim()],
    ['preparation', row.preparation, input.preparation?.trim()],
    ['clinicianProfessionalId', row.clinicianProfessionalId, input.clinicianProfessionalId],
    ['status', row.status, input.status],
  ] as const;
  for (const [field, from, to] of plain) {
    if (to !== undefined && to !== from) changes[field] = { from, to };
  }
  return changes;
}
