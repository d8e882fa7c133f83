import { type Actor, coordinatedOrganisationIds } from '../identity/actor';

/**
 * Only an organisation's coordinators (DESIGN: the role that "configures the organisation")
 * see and change how its staff sign in with single sign-on (decision 0025).
 */
export function canManageSignInProviders(actor: Actor, organisationId: string): boolean {
  return coordinatedOrganisationIds(actor).includes(organisationId);
}
