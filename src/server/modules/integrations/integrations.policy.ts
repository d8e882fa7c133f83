import { type Actor, coordinatedOrganisationIds } from '../identity/actor';

/** Only an organisation's coordinators connect its systems, see them and disconnect them. */
export function canManageIntegrations(actor: Actor, organisationId: string): boolean {
  return coordinatedOrganisationIds(actor).includes(organisationId);
}
