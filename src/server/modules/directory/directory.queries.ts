import { and, asc, eq, gt, ilike, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Tx } from '../../platform/db/database';
import { encodeCursor, readCursor } from '../../platform/http/cursor';
import { notFound } from '../../platform/http/problem';
import type { Actor } from '../identity/actor';
import { patientRegistrations } from '../patients/patients.schema';
import type { Member, PathwayStep, Professional, Team, TeamDetail } from './directory.contracts';
import { can, teamsVisibleTo } from './directory.policy';
import {
  escalationPathwaySteps,
  organisations,
  professionals,
  teamMemberships,
  teams,
} from './directory.schema';

type Reader = Database | Tx;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const teamColumns = {
  id: teams.id,
  organisationId: teams.organisationId,
  organisationName: organisations.name,
  name: teams.name,
  slug: teams.slug,
  description: teams.description,
  contactable: teams.contactable,
  phone: teams.phone,
  openingHours: teams.openingHours,
  replyWithinWorkingDays: teams.replyWithinWorkingDays,
  active: teams.active,
};

export function listOrganisations(db: Reader) {
  return db
    .select({ id: organisations.id, name: organisations.name, slug: organisations.slug })
    .from(organisations)
    .orderBy(asc(organisations.name));
}

/** Teams the actor may see, by name, in keyset pages. */
export async function listTeams(
  db: Reader,
  actor: Actor,
  filter: { organisationId?: string; cursor?: string; limit: number },
): Promise<Page<Team>> {
  const after = readCursor(filter.cursor, 2);
  const conditions: SQL[] = [teamsVisibleTo(actor)];
  if (filter.organisationId) conditions.push(eq(teams.organisationId, filter.organisationId));
  if (after) {
    const [name, id] = after as [string, string];
    conditions.push(or(gt(teams.name, name), and(eq(teams.name, name), gt(teams.id, id)))!);
  }
  const rows = await db
    .select(teamColumns)
    .from(teams)
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(and(...conditions))
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(filter.limit + 1);
  return pageOf(rows, filter.limit, (t) => [t.name, t.id]);
}

export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/** One team row, or null. Locks it when a transaction will change it. */
export async function findTeam(db: Reader, teamId: string, lock = false): Promise<Team | null> {
  const query = db
    .select(teamColumns)
    .from(teams)
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(eq(teams.id, teamId));
  const [row] = lock ? await query.for('update', { of: teams }) : await query;
  return row ?? null;
}

export async function registeredOrganisationIds(db: Reader, actor: Actor): Promise<string[]> {
  if (actor.kind !== 'patient') return [];
  const rows = await db
    .select({ id: patientRegistrations.organisationId })
    .from(patientRegistrations)
    .where(eq(patientRegistrations.patientId, actor.patientId));
  return rows.map((r) => r.id);
}

/** A team with its members, pathway and the actions the actor may take on it. */
export async function getTeam(db: Reader, actor: Actor, teamId: string): Promise<TeamDetail> {
  const team = await findTeam(db, teamId);
  const facts = { registeredOrganisationIds: await registeredOrganisationIds(db, actor) };
  if (!team || !can(actor, 'team.read', team, facts))
    throw notFound('team.not_found', 'Team not found');
  const staffView = actor.kind === 'professional';
  const actions = {
    update: can(actor, 'team.update', team),
    manageMembers: can(actor, 'team.manageMembers', team),
    setEscalationPathway: can(actor, 'team.setEscalationPathway', team),
  };
  // Those who change the pathway see its inactive steps too, to keep or remove them.
  const withInactive = actions.setEscalationPathway;
  return {
    ...team,
    members: staffView ? await listMembers(db, teamId) : [],
    escalationPathway: staffView ? await listPathway(db, teamId, { withInactive }) : [],
    actions,
  };
}

export function listMembers(db: Reader, teamId: string): Promise<Member[]> {
  return db
    .select({
      professionalId: professionals.id,
      name: professionals.name,
      jobTitle: professionals.jobTitle,
      email: professionals.email,
      role: teamMemberships.role,
      contactable: teamMemberships.contactable,
    })
    .from(teamMemberships)
    .innerJoin(professionals, eq(professionals.id, teamMemberships.professionalId))
    .where(eq(teamMemberships.teamId, teamId))
    .orderBy(asc(professionals.name), asc(professionals.id));
}

/**
 * A team's pathway as staff are offered it (M2): steps whose team or professional is no
 * longer active are left out, since nobody can be brought in from them, and come back if it
 * is made active again. `withInactive` is the pathway as its editors see it: every step,
 * the inactive ones marked `active: false`, so saving what they see keeps every step not removed.
 */
export async function listPathway(
  db: Reader,
  teamId: string,
  { withInactive = false }: { withInactive?: boolean } = {},
): Promise<PathwayStep[]> {
  const targetTeam = alias(teams, 'target_team');
  const targetTeamOrg = alias(organisations, 'target_team_org');
  const targetProfessionalOrg = alias(organisations, 'target_professional_org');
  const rows = await db
    .select({
      line: escalationPathwaySteps.line,
      team: {
        id: targetTeam.id,
        name: targetTeam.name,
        organisationName: targetTeamOrg.name,
        active: targetTeam.active,
      },
      professional: {
        id: professionals.id,
        name: professionals.name,
        active: professionals.active,
        jobTitle: professionals.jobTitle,
        organisationName: targetProfessionalOrg.name,
      },
    })
    .from(escalationPathwaySteps)
    .leftJoin(targetTeam, eq(targetTeam.id, escalationPathwaySteps.targetTeamId))
    .leftJoin(targetTeamOrg, eq(targetTeamOrg.id, targetTeam.organisationId))
    .leftJoin(professionals, eq(professionals.id, escalationPathwaySteps.targetProfessionalId))
    .leftJoin(targetProfessionalOrg, eq(targetProfessionalOrg.id, professionals.organisationId))
    .where(eq(escalationPathwaySteps.teamId, teamId))
    .orderBy(asc(escalationPathwaySteps.position));
  return rows.flatMap((row): PathwayStep[] => {
    const line = row.line === 3 ? 3 : 2;
    const { team, professional } = row;
    const shown = (active: boolean | null) => active === true || withInactive;
    // Only an inactive step says so: an active one is as it always was.
    const inactive = (active: boolean | null) => (active === true ? {} : { active: false });
    if (team?.id && team.name) {
      if (!shown(team.active)) return [];
      const organisationName = team.organisationName ?? '';
      const target = { kind: 'team' as const, id: team.id, name: team.name, organisationName };
      return [{ line, target, ...inactive(team.active) }];
    }
    if (professional?.id && professional.name) {
      if (!shown(professional.active)) return [];
      const target = {
        kind: 'professional' as const,
        id: professional.id,
        name: professional.name,
        jobTitle: professional.jobTitle ?? '',
        organisationName: professional.organisationName ?? '',
      };
      return [{ line, target, ...inactive(professional.active) }];
    }
    return [];
  });
}

const professionalColumns = {
  id: professionals.id,
  organisationId: professionals.organisationId,
  organisationName: organisations.name,
  name: professionals.name,
  jobTitle: professionals.jobTitle,
  email: professionals.email,
  active: professionals.active,
};

export async function findProfessional(db: Reader, id: string): Promise<Professional | null> {
  const [row] = await db
    .select(professionalColumns)
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(eq(professionals.id, id));
  return row ?? null;
}

/** Professionals by name, optionally within one organisation and matching a search. */
export async function listProfessionals(
  db: Reader,
  filter: { organisationId?: string; q?: string; cursor?: string; limit: number },
): Promise<Page<Professional>> {
  const after = readCursor(filter.cursor, 2);
  const conditions: SQL[] = [];
  if (filter.organisationId)
    conditions.push(eq(professionals.organisationId, filter.organisationId));
  const q = filter.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(professionals.name, pattern), ilike(professionals.email, pattern))!);
  }
  if (after) {
    const [name, id] = after as [string, string];
    conditions.push(
      or(
        gt(professionals.name, name),
        and(eq(professionals.name, name), gt(professionals.id, id)),
      )!,
    );
  }
  const rows = await db
    .select(professionalColumns)
    .from(professionals)
    .innerJoin(organisations, eq(organisations.id, professionals.organisationId))
    .where(and(...conditions))
    .orderBy(asc(professionals.name), asc(professionals.id))
    .limit(filter.limit + 1);
  return pageOf(rows, filter.limit, (p) => [p.name, p.id]);
}

/**
 * Locks an organisation's row until the transaction ends. Changes to what an organisation
 * must keep (a coordinator, the team that answers appointments) take it first, so they
 * follow one another instead of crossing.
 */
export async function lockOrganisation(tx: Tx, organisationId: string): Promise<void> {
  await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .for('update');
}
