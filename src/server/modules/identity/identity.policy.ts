import { coordinatedOrganisationIds, type Actor } from './actor';

export const IDENTITY_ACTIONS = [
  'signInPolicy.read',
  'signInPolicy.update',
  'totp.setUp',
  'session.endAll',
] as const;
export type IdentityAction = (typeof IDENTITY_ACTIONS)[number];

/** What an identity action is about: an organisation's sign-in policy, or the actor's own account. */
export interface IdentityResource {
  organisationId?: string;
}

/**
 * A coordinator reads and sets their own organisation's sign-in policy; staff set up an
 * authenticator app for their local account (patients sign in with NHS login, DESIGN C5);
 * anyone signed in may end all of their own sessions.
 */
export function can(
  actor: Actor,
  action: IdentityAction,
  resource: IdentityResource = {},
): boolean {
  if (actor.kind === 'anonymous') return false;
  switch (action) {
    case 'signInPolicy.read':
    case 'signInPolicy.update':
      return (
        resource.organisationId !== undefined &&
        coordinatedOrganisationIds(actor).includes(resource.organisationId)
      );
    case 'totp.setUp':
      return actor.kind === 'professional';
    case 'session.endAll':
      return true;
  }
}
