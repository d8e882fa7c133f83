import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { coordinatedOrganisationIds, type Actor } from '../identity/actor';
import { patientRegistrations } from '../patients/patients.schema';
import { teams } from './directory.schema';

export const DIRECTORY_ACTIONS = [
  'organisation.list',
  'team.list',
  'team.read',
  'team.create',
  'team.update',
  'team.manageMembers',
  'team.setEscalationPathway',
  'professional.list',
  'professional.create',
] as const;
export type DirectoryAction = (typeof DIRECTORY_ACTIONS)[number];

/** The directory thing an action is about: always within one organisation. */
export interface DirectoryResource {
  organisationId: string;
  /** For a team: whether patients may address it, and whether it is active. */
  contactable?: boolean;
  active?: boolean;
}

/** Facts about the actor that the policy cannot see in the actor itself. */
export interface DirectoryFacts {
  /** For a patient: the organisations they are registered with. */
  registeredOrganisationIds?: readonly string[];
}

const COORDINATOR_ACTIONS: ReadonlySet<DirectoryAction> = new Set([
  'team.create',
  'team.update',
  'team.manageMembers',
  'team.setEscalationPathway',
  'professional.create',
]);

/**
 * Staff see the whole directory (they may bring in any team of any organisation, DESIGN M2);
 * a coordinator changes only their own organisation; a patient sees the contactable, active
 * teams of the organisations they are registered with.
 */
export function can(
  actor: Actor,
  action: DirectoryAction,
  resource: DirectoryResource,
  facts: DirectoryFacts = {},
): boolean {
  if (actor.kind === 'anonymous') return false;
  if (COORDINATOR_ACTIONS.has(action)) {
    return coordinatedOrganisationIds(actor).includes(resource.organisationId);
  }
  switch (action) {
    case 'organisation.list':
      return true;
    case 'professional.list':
      return actor.kind === 'professional';
    case 'team.list':
    case 'team.read':
      if (actor.kind === 'professional') return true;
      return (
        resource.contactable === true &&
        resource.active !== false &&
        (facts.registeredOrganisationIds ?? []).includes(resource.organisationId)
      );
    default:
      return false;
  }
}

/** The SQL filter matching `can(actor, 'team.read', team)` for lists of teams. */
export function teamsVisibleTo(actor: Actor): SQL {
  switch (actor.kind) {
    case 'anonymous':
      return sql`false`;
    case 'professional':
      return sql`true`;
    case 'patient':
      return sql`${teams.contactable} and ${teams.active} and ${inArray(
        teams.organisationId,
        sql`(select ${patientRegistrations.organisationId} from ${patientRegistrations} where ${eq(patientRegistrations.patientId, actor.patientId)})`,
      )}`;
  }
}
