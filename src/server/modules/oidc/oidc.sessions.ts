import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import type { RequestFacts } from '../identity/actor';
import { startSession } from '../identity/identity.commands';
import { findSession, type ResolvedSession } from '../identity/identity.queries';
import type { OidcProvider } from './oidc.schema';
import { sessionOrganisations } from './oidc.schema';

export interface SessionScope {
  organisationId: string;
  roleId: string | null;
  roleName: string | null;
}

/** A professional's session acting for one organisation sees only that organisation's teams. */
function scoped(session: ResolvedSession, organisationId: string): ResolvedSession {
  if (session.actor.kind !== 'professional') return session;
  return {
    ...session,
    actor: {
      ...session.actor,
      memberships: session.actor.memberships.filter((m) => m.organisationId === organisationId),
    },
  };
}

/**
 * The session behind a cookie token, as `findSession` resolves it, narrowed to the
 * organisation a single sign-on session was opened for (the chosen CIS2 role's, or the
 * Entra tenant's organisation). Password and NHS login sessions are unchanged.
 */
export async function findScopedSession(
  db: Database | Tx,
  token: string,
  now: Date,
): Promise<ResolvedSession | null> {
  const session = await findSession(db, token, now);
  if (!session || session.actor.kind !== 'professional') return session;
  const [scope] = await db
    .select({ organisationId: sessionOrganisations.organisationId })
    .from(sessionOrganisations)
    .where(eq(sessionOrganisations.tokenHash, session.tokenHash));
  return scope ? scoped(session, scope.organisationId) : session;
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
  return { token: signedIn.token, session: scoped(signedIn.session, scope.organisationId) };
}
