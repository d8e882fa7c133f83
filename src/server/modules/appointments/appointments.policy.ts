import { coordinatedOrganisationIds, type Actor } from '../identity/actor';
import { mustVerifyIdentity } from '../identity/verification';

export const APPOINTMENT_ACTIONS = [
  'appointment.read',
  'appointment.create',
  'appointment.update',
  'appointment.requestChange',
] as const;
export type AppointmentAction = (typeof APPOINTMENT_ACTIONS)[number];

/** The appointment (or, for create, the one proposed): whose, with which team, where. */
export interface AppointmentResource {
  patientId: string;
  organisationId: string;
  /** The clinical team the appointment is with. */
  teamId: string;
}

/** What else the policy needs, all judged at the request's time (C1, C2). */
export interface AppointmentFacts {
  /** The organisation's nominated appointments team (Central Appointments), if it has one. */
  appointmentsTeamId: string | null;
  /** Teams with record access to the patient now: care relationships and grants in force. */
  recordAccessTeamIds: readonly string[];
  /** Professionals with break-glass access to the patient now. */
  breakGlassProfessionalIds: readonly string[];
  /** Carers (user ids) whose consent is in force now, with its level. */
  carers: readonly { userId: string; level: 'view' | 'message' }[];
}

/** How the actor stands to an appointment. */
export type AppointmentRelation =
  | 'patient'
  | 'carer'
  | 'booking' // member of the appointment's team or of the nominated appointments team
  | 'recordAccess'
  | 'none';

export function relationToAppointment(
  actor: Actor,
  resource: AppointmentResource,
  facts: AppointmentFacts,
): AppointmentRelation {
  if (actor.kind === 'anonymous') return 'none';
  if (actor.kind === 'patient') {
    if (actor.patientId === resource.patientId) return 'patient';
    return facts.carers.some((c) => c.userId === actor.userId) ? 'carer' : 'none';
  }
  const teamIds = actor.memberships.map((m) => m.teamId);
  if (teamIds.includes(resource.teamId)) return 'booking';
  if (facts.appointmentsTeamId !== null && teamIds.includes(facts.appointmentsTeamId)) {
    return 'booking';
  }
  if (teamIds.some((id) => facts.recordAccessTeamIds.includes(id))) return 'recordAccess';
  if (facts.breakGlassProfessionalIds.includes(actor.professionalId)) return 'recordAccess';
  return 'none';
}

/**
 * Who may do what with an appointment. Staff of the appointment's team or of the nominated
 * appointments team book and change it; staff with record access read it (C2, C3); the
 * patient and carers with consent in force read it, and the patient or a carer with message
 * consent ask to change it (C1). Only P9 patients see it at all (C5).
 */
export function can(
  actor: Actor,
  action: AppointmentAction,
  resource: AppointmentResource,
  facts: AppointmentFacts,
): boolean {
  if (mustVerifyIdentity(actor)) return false;
  const relation = relationToAppointment(actor, resource, facts);
  switch (action) {
    case 'appointment.read':
      return relation !== 'none';
    case 'appointment.create':
    case 'appointment.update':
      return relation === 'booking';
    case 'appointment.requestChange':
      return (
        relation === 'patient' ||
        (relation === 'carer' &&
          facts.carers.some(
            (c) => actor.kind === 'patient' && c.userId === actor.userId && c.level === 'message',
          ))
      );
  }
}

/** The staff team an actor acts for on this appointment: the clinical team first, then the nominated one. */
export function actingTeamId(
  actor: Actor,
  resource: AppointmentResource,
  facts: AppointmentFacts,
): string | null {
  if (actor.kind !== 'professional') return null;
  const teamIds = actor.memberships.map((m) => m.teamId);
  if (facts.appointmentsTeamId !== null && teamIds.includes(facts.appointmentsTeamId)) {
    return facts.appointmentsTeamId;
  }
  return teamIds.includes(resource.teamId) ? resource.teamId : null;
}

export const APPOINTMENT_SETTINGS_ACTIONS = [
  'appointmentSettings.read',
  'appointmentSettings.update',
] as const;
export type AppointmentSettingsAction = (typeof APPOINTMENT_SETTINGS_ACTIONS)[number];

/**
 * An organisation's appointment settings (its appointments team and the cut-off) configure
 * the organisation: its coordinators read and change them, nobody else.
 */
export function canConfigure(
  actor: Actor,
  action: AppointmentSettingsAction,
  resource: { organisationId: string },
): boolean {
  switch (action) {
    case 'appointmentSettings.read':
    case 'appointmentSettings.update':
      return coordinatedOrganisationIds(actor).includes(resource.organisationId);
  }
}
