import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { forbidden, notFound } from '../../platform/http/problem';
import { organisations, professionals } from '../directory/directory.schema';
import { type Actor, inTransaction, type RequestFacts } from '../identity/actor';
import type { CreateIntegrationClientInput, IntegrationClient } from './integrations.contracts';
import { canManageIntegrations } from './integrations.policy';
import { integrationClients, integrationTokens } from './integrations.schema';
import { endSubscriptionsOf, notificationTargetsOf } from '../subscriptions/subscriptions.clients';

/** The hash kept for a client secret or a bearer token: both are 256 random bits. */
export const secretHash = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

const notCoordinator = () =>
  forbidden(
    'integration_client.forbidden',
    'Only a coordinator of this organisation can manage its connected systems.',
  );
const clientNotFound = () => notFound('integration_client.not_found', 'Connected system not found');

async function authorise(tx: Tx, actor: Actor, organisationId: string): Promise<void> {
  const [organisation] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
  if (!canManageIntegrations(actor, organisationId)) throw notCoordinator();
}

const clientColumns = {
  clientId: integrationClients.id,
  organisationId: integrationClients.organisationId,
  name: integrationClients.name,
  scopes: integrationClients.scopes,
  createdAt: integrationClients.createdAt,
  createdBy: professionals.name,
  revokedAt: integrationClients.revokedAt,
};

type ClientRow = {
  clientId: string;
  organisationId: string;
  name: string;
  scopes: IntegrationClient['scopes'];
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
};

const present = (
  row: ClientRow,
  notifications: IntegrationClient['notifications'] = [],
): IntegrationClient => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  notifications,
});

async function loadClient(tx: Tx, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await tx
    .select(clientColumns)
    .from(integrationClients)
    .leftJoin(professionals, eq(professionals.id, integrationClients.createdByProfessionalId))
    .where(eq(integrationClients.id, clientId));
  return row;
}

/**
 * Connects a system to the organisation (createIntegrationClient). The secret is made here
 * and answered once; only its hash is kept, so a lost secret means connecting it again.
 */
export async function createIntegrationClient(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
  input: CreateIntegrationClientInput,
  request: RequestFacts,
): Promise<{ client: IntegrationClient; clientSecret: string }> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    await authorise(tx, actor, organisationId);
    const clientSecret = randomBytes(32).toString('base64url');
    const [created] = await tx
      .insert(integrationClients)
      .values({
        organisationId,
        name: input.name.trim(),
        secretHash: secretHash(clientSecret),
        scopes: input.scopes,
        createdByProfessionalId: actor.kind === 'professional' ? actor.professionalId : null,
        createdAt: audit.now,
      })
      .returning({ id: integrationClients.id });
    if (!created) throw new Error('The connected system was not stored');
    await recordAudit(tx, audit, {
      action: 'integration_client.created',
      entityType: 'integration_client',
      entityId: created.id,
      organisationId,
      details: { name: input.name.trim(), scopes: input.scopes },
    });
    const client = await loadClient(tx, created.id);
    if (!client) throw new Error('The connected system was not stored');
    return { client: present(client), clientSecret };
  });
}

/**
 * The organisation's connected systems, newest first, revoked ones included, each with where it
 * asked to be told of new messages and how that is going.
 */
export async function listIntegrationClients(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
): Promise<{ items: IntegrationClient[] }> {
  return withTransaction(deps.db, async (tx) => {
    await authorise(tx, actor, organisationId);
    const rows = await tx
      .select(clientColumns)
      .from(integrationClients)
      .leftJoin(professionals, eq(professionals.id, integrationClients.createdByProfessionalId))
      .where(eq(integrationClients.organisationId, organisationId))
      .orderBy(desc(integrationClients.createdAt), desc(integrationClients.id));
    const targets = await notificationTargetsOf(
      tx,
      rows.map((row) => row.clientId),
      deps.clock(),
    );
    return { items: rows.map((row) => present(row, targets.get(row.clientId))) };
  });
}

/**
 * Disconnects a system (revokeIntegrationClient): its tokens stop working on their very next
 * request and it can get no more; its subscriptions end, untold. Revoking a revoked client changes nothing.
 */
export async function revokeIntegrationClient(
  deps: AppDeps,
  actor: Actor,
  clientId: string,
  request: RequestFacts,
): Promise<void> {
  await inTransaction(deps, actor, request, async (tx, audit) => {
    const [client] = await tx
      .select({ organisationId: integrationClients.organisationId })
      .from(integrationClients)
      .where(eq(integrationClients.id, clientId))
      .for('update');
    if (!client) throw clientNotFound();
    if (!canManageIntegrations(actor, client.organisationId)) {
      // Its organisation's own staff are told it is not theirs to do; others learn nothing.
      if (memberOf(actor, client.organisationId)) throw notCoordinator();
      throw clientNotFound();
    }
    const revoked = await tx
      .update(integrationClients)
      .set({ revokedAt: audit.now })
      .where(and(eq(integrationClients.id, clientId), isNull(integrationClients.revokedAt)))
      .returning({ id: integrationClients.id });
    await tx.delete(integrationTokens).where(eq(integrationTokens.clientId, clientId));
    if (revoked.length === 0) return;
    await endSubscriptionsOf(tx, clientId);
    await recordAudit(tx, audit, {
      action: 'integration_client.revoked',
      entityType: 'integration_client',
      entityId: clientId,
      organisationId: client.organisationId,
    });
  });
}

function memberOf(actor: Actor, organisationId: string): boolean {
  return (
    actor.kind === 'professional' &&
    actor.memberships.some((m) => m.organisationId === organisationId)
  );
}
