import { eq, sql, type SQLWrapper } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Database, Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { forbidden, notFound } from '../../platform/http/problem';
import {
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../directory/directory.schema';
import { type Actor, inTransaction, type RequestFacts } from './actor';
import { can } from './identity.policy';
import { organisationSignInPolicies, sessions, totpCredentials, users } from './identity.schema';

export interface SignInPolicy {
  organisationId: string;
  requireTotp: boolean;
  updatedAt: Date | null;
}

/**
 * True when the user is a professional without an authenticator app whose employer, or an
 * organisation one of whose active teams they belong to, requires one (DESIGN C5).
 */
export function totpSetupDueFor(userId: SQLWrapper | string) {
  return sql<boolean>`exists (
    select 1 from ${users} u
      join ${professionals} p on p.id = u.professional_id
     where u.id = ${userId}
       and not exists (select 1 from ${totpCredentials} c
                        where c.user_id = u.id and c.confirmed_at is not null)
       and exists (select 1 from ${organisationSignInPolicies} sp
                    where sp.require_totp
                      and (sp.organisation_id = p.organisation_id
                           or sp.organisation_id in (
                                select t.organisation_id from ${teamMemberships} tm
                                  join ${teams} t on t.id = tm.team_id and t.active
                                 where tm.professional_id = p.id))))`;
}

export async function isTotpSetupDue(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ due: totpSetupDueFor(userId) })
    .from(users)
    .where(eq(users.id, userId));
  return row?.due === true;
}

const organisationNotFound = () => notFound('organisation.not_found', 'Organisation not found');
const notCoordinator = () =>
  forbidden(
    'sign_in_policy.forbidden',
    'Only a coordinator of this organisation can see or change how its staff sign in.',
  );

async function loadOrganisation(db: Database | Tx, organisationId: string): Promise<void> {
  const [organisation] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw organisationNotFound();
}

async function policyOf(db: Database | Tx, organisationId: string): Promise<SignInPolicy> {
  const [row] = await db
    .select()
    .from(organisationSignInPolicies)
    .where(eq(organisationSignInPolicies.organisationId, organisationId));
  return row ?? { organisationId, requireTotp: false, updatedAt: null };
}

export async function getSignInPolicy(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
): Promise<SignInPolicy> {
  await loadOrganisation(deps.db, organisationId);
  if (!can(actor, 'signInPolicy.read', { organisationId })) throw notCoordinator();
  return policyOf(deps.db, organisationId);
}

/**
 * Sets whether the organisation's staff must use an authenticator app with their password.
 * Sessions already open by password follow at once: those of staff who now need to set one
 * up may do nothing else until they have; those who no longer need to are released.
 */
export async function updateSignInPolicy(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
  input: { requireTotp: boolean },
  request: RequestFacts,
): Promise<SignInPolicy> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const [organisation] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, organisationId))
      .for('update');
    if (!organisation) throw organisationNotFound();
    if (!can(actor, 'signInPolicy.update', { organisationId })) throw notCoordinator();
    const previous = await policyOf(tx, organisationId);
    const [saved] = await tx
      .insert(organisationSignInPolicies)
      .values({ organisationId, requireTotp: input.requireTotp, updatedAt: audit.now })
      .onConflictDoUpdate({
        target: organisationSignInPolicies.organisationId,
        set: { requireTotp: input.requireTotp, updatedAt: audit.now },
      })
      .returning();
    if (!saved) throw new Error('sign-in policy upsert returned nothing');

    await tx
      .update(sessions)
      .set({ totpSetupRequired: totpSetupDueFor(sessions.userId) })
      .where(
        sql`${sessions.signInMethod} = 'password' and ${sessions.userId} in (
          select u.id from ${users} u
            join ${professionals} p on p.id = u.professional_id
           where p.organisation_id = ${organisationId}
              or exists (select 1 from ${teamMemberships} tm
                           join ${teams} t on t.id = tm.team_id
                          where tm.professional_id = p.id and t.organisation_id = ${organisationId}))`,
      );

    await recordAudit(tx, audit, {
      action: 'organisation.sign_in_policy_updated',
      entityType: 'organisation',
      entityId: organisationId,
      organisationId,
      details: { requireTotp: input.requireTotp, previouslyRequired: previous.requireTotp },
    });
    return saved;
  });
}
