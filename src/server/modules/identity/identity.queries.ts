import { patientName } from '../patients/patients.queries';
import { createHash } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import {
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../directory/directory.schema';
import { patients } from '../patients/patients.schema';
import { sessionOrganisations } from '../oidc/oidc.schema';
import type { Actor, Membership, SignedInActor } from './actor';
import { sessions, users } from './identity.schema';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Last-seen is refreshed at most this often, so reads do not all become writes. */
export const LAST_SEEN_GRANULARITY_MS = 60 * 1000;

/**
 * Moves a session's last-seen time on, unless another request of the same session is doing
 * so at this moment: that write serves as well, and waiting for its commit would hold up
 * every request of a busy session (several tabs, live updates) once a minute.
 */
async function refreshLastSeen(db: Database | Tx, tokenHash: string, now: Date): Promise<void> {
  const due = new Date(now.getTime() - LAST_SEEN_GRANULARITY_MS);
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(
      sql`${sessions.tokenHash} = (
        select s.token_hash from ${sessions} s
         where s.token_hash = ${tokenHash} and s.last_seen_at <= ${due.toISOString()}::timestamptz
         for update skip locked)`,
    );
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ResolvedSession {
  tokenHash: string;
  csrfToken: string;
  /** Until the user sets up an authenticator app, the session may do little else (C5). */
  totpSetupRequired: boolean;
  actor: Exclude<Actor, { kind: 'anonymous' }>;
  /** When it ends if nothing more is done with it (last seen + SESSION_IDLE_MS). */
  idleExpiresAt: Date;
  /** When it ends whatever is done (its absolute lifetime). */
  expiresAt: Date;
}

/**
 * The session behind a cookie token, with its actor, or null when it is unknown, idle for
 * too long or past its absolute lifetime. A single sign-on session opened for one
 * organisation (the chosen CIS2 role's, or the Entra tenant's) sees only that organisation's
 * teams. One round trip, unless it ends the session or refreshes when it was last seen.
 * `touch: false` reads it without counting as activity (asking how long is left).
 */
export async function findSession(
  db: Database | Tx,
  token: string,
  now: Date,
  { touch = true }: { touch?: boolean } = {},
): Promise<ResolvedSession | null> {
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({
      session: sessions,
      userId: users.id,
      professional: professionals,
      patient: patients,
      memberships: membershipsJson,
      scopeOrganisationId: sql<string | null>`(
        select so.organisation_id from ${sessionOrganisations} so
         where so.token_hash = ${sessions.tokenHash})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(professionals, eq(professionals.id, users.professionalId))
    .leftJoin(patients, eq(patients.id, users.patientId))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row) return null;
  const { session } = row;
  const nowMs = now.getTime();
  if (
    session.expiresAt.getTime() <= nowMs ||
    session.lastSeenAt.getTime() + SESSION_IDLE_MS <= nowMs
  ) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return null;
  }
  let lastSeenAt = session.lastSeenAt;
  if (touch && nowMs - lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS) {
    await refreshLastSeen(db, tokenHash, now);
    lastSeenAt = now;
  }
  const lifetime = {
    idleExpiresAt: new Date(lastSeenAt.getTime() + SESSION_IDLE_MS),
    expiresAt: session.expiresAt,
  };

  if (row.professional) {
    if (!row.professional.active) return null;
    const resolved: ResolvedSession = {
      tokenHash,
      csrfToken: session.csrfToken,
      totpSetupRequired: session.totpSetupRequired,
      ...lifetime,
      actor: {
        kind: 'professional',
        userId: row.userId,
        professionalId: row.professional.id,
        name: row.professional.name,
        memberships: row.memberships ?? [],
      },
    };
    return row.scopeOrganisationId
      ? narrowToOrganisation(resolved, row.scopeOrganisationId)
      : resolved;
  }
  if (row.patient) {
    return {
      tokenHash,
      csrfToken: session.csrfToken,
      totpSetupRequired: session.totpSetupRequired,
      ...lifetime,
      actor: {
        kind: 'patient',
        userId: row.userId,
        patientId: row.patient.id,
        name: patientName(row.patient),
        identityLevel: row.patient.identityLevel,
      },
    };
  }
  return null;
}

/** A professional's session acting for one organisation sees only that organisation's teams. */
export function narrowToOrganisation(
  session: ResolvedSession,
  organisationId: string,
): ResolvedSession {
  if (session.actor.kind !== 'professional') return session;
  return {
    ...session,
    actor: {
      ...session.actor,
      memberships: session.actor.memberships.filter((m) => m.organisationId === organisationId),
    },
  };
}

/** A professional's memberships of active teams, folded into the session's one query. */
const membershipsJson = sql<Membership[] | null>`(
  select json_agg(json_build_object(
           'teamId', t.id, 'teamName', t.name, 'organisationId', o.id,
           'organisationName', o.name, 'role', tm.role) order by o.name, t.name)
    from ${teamMemberships} tm
    join ${teams} t on t.id = tm.team_id and t.active
    join ${organisations} o on o.id = t.organisation_id
   where tm.professional_id = ${professionals.id})`;

export function membershipsOf(db: Database | Tx, professionalId: string): Promise<Membership[]> {
  return db
    .select({
      teamId: teams.id,
      teamName: teams.name,
      organisationId: organisations.id,
      organisationName: organisations.name,
      role: teamMemberships.role,
    })
    .from(teamMemberships)
    .innerJoin(teams, and(eq(teams.id, teamMemberships.teamId), eq(teams.active, true)))
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(eq(teamMemberships.professionalId, professionalId))
    .orderBy(asc(organisations.name), asc(teams.name));
}

/**
 * The actor as they are now, for work that outlasts the request's start (a long upload): a
 * professional keeps only the memberships of the session that they still hold.
 */
export async function withCurrentMemberships(
  db: Database | Tx,
  actor: SignedInActor,
): Promise<SignedInActor> {
  if (actor.kind !== 'professional') return actor;
  const held = new Set(actor.memberships.map((m) => m.teamId));
  const now = await membershipsOf(db, actor.professionalId);
  return { ...actor, memberships: now.filter((m) => held.has(m.teamId)) };
}
