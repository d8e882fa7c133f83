import { coordinatedOrganisationIds, type Actor } from '../identity/actor';

export const PATIENT_ACTIONS = [
  'patient.create',
  'patient.read',
  'careRelationship.manage',
] as const;
export type PatientAction = (typeof PATIENT_ACTIONS)[number];

/** What the policy needs to know about a patient record and the actor's relation to it. */
export interface PatientFacts {
  /** The record's id, when one exists (absent for patient.create). */
  patientId?: string;
  /** For patient.create and careRelationship.manage: the organisation acted in. */
  organisationId?: string;
  registeredOrganisationIds: readonly string[];
  /** Teams with a care relationship to the patient (DESIGN C2). */
  careTeamIds: readonly string[];
  /** Teams with the patient's grant in force now (C2). */
  grantTeamIds?: readonly string[];
  /** Professionals with break-glass access in force now. */
  breakGlassProfessionalIds?: readonly string[];
}

/**
 * A patient reads their own record; staff read it through a care relationship or a grant
 * of one of their teams, or their own break-glass, and the coordinators of an organisation the patient is registered with
 * manage that registration and its care relationships.
 */
export function can(actor: Actor, action: PatientAction, facts: PatientFacts): boolean {
  if (actor.kind === 'anonymous') return false;
  const coordinated = coordinatedOrganisationIds(actor);
  switch (action) {
    case 'patient.create':
      return facts.organisationId !== undefined && coordinated.includes(facts.organisationId);
    case 'patient.read':
      if (actor.kind === 'patient') return actor.patientId === facts.patientId;
      return (
        actor.memberships.some(
          (m) =>
            facts.careTeamIds.includes(m.teamId) || (facts.grantTeamIds ?? []).includes(m.teamId),
        ) ||
        (facts.breakGlassProfessionalIds ?? []).includes(actor.professionalId) ||
        facts.registeredOrganisationIds.some((id) => coordinated.includes(id))
      );
    case 'careRelationship.manage':
      return (
        facts.organisationId !== undefined &&
        coordinated.includes(facts.organisationId) &&
        facts.registeredOrganisationIds.includes(facts.organisationId)
      );
  }
}
