import type { Tx } from '../../platform/db/database';
import type { RequestFacts } from '../identity/actor';
import { startSession } from '../identity/identity.commands';
import { narrowToOrganisation, type ResolvedSession } from '../identity/identity.queries';
import type { OidcProvider } from './oidc.schema';
import { sessionOrganisations } from './oidc.schema';

export interface SessionScope {
  organisationId: string;
  roleId: string | null;
  roleName: string | null;
}

export interface OidcSignedIn {
  token: string;
  session: ResolvedSession;
}

/**
 * Opens the session through the same machinery as every sign-in (new session id, the
 * browser's previous session ended, `session.created` audited with the method), and records
 * the organisation a staff session acts for, all in the caller's transaction.
 */
export async function openOidcSession(
  tx: Tx,
  userId: string,
  now: Date,
  request: RequestFacts,
  previous: ResolvedSession | null,
  method: OidcProvider,
  scope: SessionScope | null,
  details: Record<string, unknown> = {},
): Promise<OidcSignedIn> {
  const signedIn = await startSession(tx, userId, now, request, previous, {
    signInMethod: method,
    totpSetupRequired: false,
    details: {
      method,
      ...(scope ? { organisationId: scope.organisationId, roleId: scope.roleId } : {}),
      ...details,
    },
  });
  if (!signedIn) throw new Error('the new session could not be read back');
  if (!scope) return { token: signedIn.token, session: signedIn.session };
  await tx.insert(sessionOrganisations).values({ tokenHash: signedIn.session.tokenHash, ...scope });
  return {
    token: signedIn.token,
    session: narrowToOrganisation(signedIn.session, scope.organisationId),
  };
}
