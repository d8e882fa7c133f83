import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import { type Database, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import type { RequestFacts } from '../identity/actor';
import { organisations } from '../directory/directory.schema';
import { secretHash } from './integrations.commands';
import {
  INTEGRATION_SCOPES,
  type IntegrationScope,
  integrationClients,
  integrationTokens,
} from './integrations.schema';

/** Tokens live five minutes, as SMART backend services advise; a system asks again. */
export const TOKEN_LIFETIME_SECONDS = 300;

/** A connected system acting through a bearer token: the actor of every FHIR request. */
export interface IntegrationActor {
  clientId: string;
  name: string;
  organisationId: string;
  organisationName: string;
  scopes: IntegrationScope[];
}

/** How audit trails, the patient's "Who has seen my record" included, name a connected system. */
export const integrationLabel = (client: Pick<IntegrationActor, 'name' | 'organisationName'>) =>
  `${client.name} (a computer system of ${client.organisationName})`;

export function integrationAudit(
  client: IntegrationActor,
  request: RequestFacts,
  now: Date,
): AuditContext {
  return {
    actorUserId: null,
    actorLabel: integrationLabel(client),
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    now,
  };
}

/** An OAuth 2 error response (RFC 6749 §5.2): its codes are the standard's own. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error:
      'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The scopes asked for: all the client's when none are named; any it lacks refuse the request. */
function grantedScopes(allowed: IntegrationScope[], requested: string | undefined) {
  if (requested === undefined || requested.trim() === '') return allowed;
  const asked = [...new Set(requested.trim().split(/\s+/))];
  const known = (scope: string): scope is IntegrationScope =>
    (INTEGRATION_SCOPES as readonly string[]).includes(scope);
  if (!asked.every((scope) => known(scope) && allowed.includes(scope))) {
    throw new OAuthError(400, 'invalid_scope', 'This system may not have one of those scopes.');
  }
  return asked as IntegrationScope[];
}

/**
 * The client credentials grant: a connected system's id and secret buy a bearer token for
 * TOKEN_LIFETIME_SECONDS. Each token issued is audited in the organisation's chain; expired
 * tokens of the same client are cleared as it goes.
 */
export async function issueToken(
  deps: AppDeps,
  credentials: { clientId: string; clientSecret: string },
  requestedScope: string | undefined,
  request: RequestFacts,
): Promise<TokenResponse> {
  const invalidClient = () =>
    new OAuthError(401, 'invalid_client', 'The client id or secret is not right.');
  if (!UUID.test(credentials.clientId)) throw invalidClient();
  return withTransaction(deps.db, async (tx) => {
    const now = deps.clock();
    const [client] = await tx
      .select({
        clientId: integrationClients.id,
        name: integrationClients.name,
        secretHash: integrationClients.secretHash,
        scopes: integrationClients.scopes,
        revokedAt: integrationClients.revokedAt,
        organisationId: integrationClients.organisationId,
        organisationName: organisations.name,
      })
      .from(integrationClients)
      .innerJoin(organisations, eq(organisations.id, integrationClients.organisationId))
      .where(eq(integrationClients.id, credentials.clientId));
    if (
      !client ||
      client.revokedAt !== null ||
      !sameHash(client.secretHash, secretHash(credentials.clientSecret))
    ) {
      throw invalidClient();
    }
    const scopes = grantedScopes(client.scopes, requestedScope);
    const token = randomBytes(32).toString('base64url');
    await tx
      .delete(integrationTokens)
      .where(
        and(eq(integrationTokens.clientId, client.clientId), lt(integrationTokens.expiresAt, now)),
      );
    await tx.insert(integrationTokens).values({
      tokenHash: secretHash(token),
      clientId: client.clientId,
      scopes,
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_SECONDS * 1000),
    });
    await recordAudit(tx, integrationAudit(client, request, now), {
      action: 'integration_client.token_issued',
      entityType: 'integration_client',
      entityId: client.clientId,
      organisationId: client.organisationId,
      details: { scopes },
    });
    return {
      access_token: token,
      token_type: 'Bearer' as const,
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: scopes.join(' '),
    };
  });
}

/** The connected system behind a bearer token, or null for one unknown, expired or revoked. */
export async function resolveBearer(
  db: Database,
  token: string,
  now: Date,
): Promise<IntegrationActor | null> {
  const [row] = await db
    .select({
      clientId: integrationClients.id,
      name: integrationClients.name,
      organisationId: integrationClients.organisationId,
      organisationName: organisations.name,
      scopes: integrationTokens.scopes,
    })
    .from(integrationTokens)
    .innerJoin(integrationClients, eq(integrationClients.id, integrationTokens.clientId))
    .innerJoin(organisations, eq(organisations.id, integrationClients.organisationId))
    .where(
      and(
        eq(integrationTokens.tokenHash, secretHash(token)),
        gt(integrationTokens.expiresAt, now),
        isNull(integrationClients.revokedAt),
      ),
    );
  return row ?? null;
}
