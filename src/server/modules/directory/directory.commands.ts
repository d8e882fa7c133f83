import { and, eq, not } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { ensureNotAppointmentsTeam } from '../appointments/appointments.settings';
import { releaseAssignments } from '../inbox/inbox.commands';
import { inTransaction, type Actor, type RequestFacts } from '../identity/actor';
import type {
  CreateTeamInput,
  Member,
  Professional,
  Team,
  UpdateTeamInput,
} from './directory.contracts';
import { can, type DirectoryAction } from './directory.policy';
import {
  findProfessional,
  findTeam,
  listMembers,
  lockOrganisation,
  registeredOrganisationIds,
} from './directory.queries';
import {
  type OpeningPeriod,
  organisations,
  professionals,
  type Role,
  teamMemberships,
  teams,
} from './directory.schema';

const slugTaken = () =>
  conflict(
    'team.slug_taken',
    'Another team already uses this web address. Choose a different one.',
  );

/** Loads a team, locked, for a change the actor must be allowed to make (404, then 403). */
export async function loadTeamFor(
  tx: Tx,
  actor: Actor,
  action: DirectoryAction,
  teamId: string,
): Promise<Team> {
  const team = await findTeam(tx, teamId, true);
  const facts = { registeredOrganisationIds: await registeredOrganisationIds(tx, actor) };
  if (!team || !can(actor, 'team.read', team, facts))
    throw notFound('team.not_found', 'Team not found');
  if (!can(actor, action, team))
    throw forbidden(
      'team.forbidden',
      'Only a coordinator of this organisation can change this team.',
    );
  return team;
}

/**
 * Each period closes after it opens, and a day's periods do not overlap: the team's page
 * would list the same hours twice ("9am to 5pm, 9am to 5pm") or contradict itself.
 */
function checkOpeningHours(hours: OpeningPeriod[] | undefined): void {
  if (!hours) return;
  const problems = hours.flatMap((period, i) => {
    const field = `body/openingHours/${i}`;
    const day = `${period.day.charAt(0).toUpperCase()}${period.day.slice(1)}`;
    if (period.opens >= period.closes)
      return [
        {
          field,
          code: 'team.opening_hours_invalid',
          message: `On ${day} the closing time must be after the opening time`,
        },
      ];
    const overlapped = hours.find(
      (other, j) =>
        j < i &&
        other.day === period.day &&
        other.opens < period.closes &&
        period.opens < other.closes,
    );
    return overlapped
      ? [
          {
            field,
            code: 'team.opening_hours_overlap',
            message: `On ${day} ${period.opens} to ${period.closes} overlaps ${overlapped.opens} to ${overlapped.closes}: make one period close before the next one opens, or make them one period`,
          },
        ]
      : [];
  });
  if (problems.length > 0) throw invalid(problems);
}

export async function createTeam(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
  input: CreateTeamInput,
  request: RequestFacts,
): Promise<Team> {
  checkOpeningHours(input.openingHours);
  try {
    return await inTransaction(deps, actor, request, async (tx, audit) => {
      const [organisation] = await tx
        .select()
        .from(organisations)
        .where(eq(organisations.id, organisationId));
      if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
      if (!can(actor, 'team.create', { organisationId })) {
        throw forbidden(
          'team.forbidden',
          'Only a coordinator of this organisation can register its teams.',
        );
      }
      const [row] = await tx
        .insert(teams)
        .values({
          organisationId,
          name: input.name.trim(),
          slug: input.slug,
          description: input.description ?? '',
          contactable: input.contactable,
          phone: input.phone ?? null,
          openingHours: input.openingHours ?? [],
          replyWithinWorkingDays: input.replyWithinWorkingDays ?? null,
        })
        .returning({ id: teams.id });
      if (!row) throw new Error('team insert returned nothing');
      await recordAudit(tx, audit, {
        action: 'team.created',
        entityType: 'team',
        entityId: row.id,
        organisationId,
        details: { contactable: input.contactable },
      });
      return (await findTeam(tx, row.id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
}

export async function updateTeam(
  deps: AppDeps,
  actor: Actor,
  teamId: string,
  input: UpdateTeamInput,
  request: RequestFacts,
): Promise<Team> {
  checkOpeningHours(input.openingHours);
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const team = await loadTeamFor(tx, actor, 'team.update', teamId);
    if (input.active === false && team.active) {
      await ensureAnotherCoordinator(tx, team.organisationId, { teamId });
      await ensureNotAppointmentsTeam(tx, team.organisationId, teamId);
    }
    const changes = { ...input, ...(input.name !== undefined ? { name: input.name.trim() } : {}) };
    await tx
      .update(teams)
      .set({ ...changes, updatedAt: audit.now })
      .where(eq(teams.id, teamId));
    await recordAudit(tx, audit, {
      action: 'team.updated',
      entityType: 'team',
      entityId: teamId,
      organisationId: team.organisationId,
      details: { fields: Object.keys(input).sort() },
    });
    return (await findTeam(tx, teamId))!;
  });
}

/** Adds a professional to a team, or changes their role and contactability there. */
export async function addTeamMember(
  deps: AppDeps,
  actor: Actor,
  ids: { teamId: string; professionalId: string },
  input: { role: Role; contactable: boolean },
  request: RequestFacts,
): Promise<Member> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const team = await loadTeamFor(tx, actor, 'team.manageMembers', ids.teamId);
    const professional = await findProfessional(tx, ids.professionalId);
    if (!professional) throw notFound('professional.not_found', 'Professional not found');
    if (!professional.active)
      throw conflict('professional.inactive', 'This professional’s account is not active.');
    const [existing] = await tx
      .select()
      .from(teamMemberships)
      .where(
        and(
          eq(teamMemberships.teamId, ids.teamId),
          eq(teamMemberships.professionalId, ids.professionalId),
        ),
      )
      .for('update');
    if (existing?.role === 'coordinator' && input.role !== 'coordinator') {
      await ensureAnotherCoordinator(tx, team.organisationId, ids);
    }
    await tx
      .insert(teamMemberships)
      .values({ ...ids, role: input.role, contactable: input.contactable })
      .onConflictDoUpdate({
        target: [teamMemberships.teamId, teamMemberships.professionalId],
        set: { role: input.role, contactable: input.contactable },
      });
    await recordAudit(tx, audit, {
      action: existing ? 'team.member_changed' : 'team.member_added',
      entityType: 'team_membership',
      entityId: `${ids.teamId}:${ids.professionalId}`,
      organisationId: team.organisationId,
      details: { role: input.role, contactable: input.contactable },
    });
    const members = await listMembers(tx, ids.teamId);
    return members.find((m) => m.professionalId === ids.professionalId)!;
  });
}

export async function removeTeamMember(
  deps: AppDeps,
  actor: Actor,
  ids: { teamId: string; professionalId: string },
  request: RequestFacts,
): Promise<void> {
  await inTransaction(deps, actor, request, async (tx, audit) => {
    const team = await loadTeamFor(tx, actor, 'team.manageMembers', ids.teamId);
    const membership = and(
      eq(teamMemberships.teamId, ids.teamId),
      eq(teamMemberships.professionalId, ids.professionalId),
    );
    const [existing] = await tx.select().from(teamMemberships).where(membership).for('update');
    if (!existing)
      throw notFound('team.member_not_found', 'This person is not a member of the team');
    if (existing.role === 'coordinator')
      await ensureAnotherCoordinator(tx, team.organisationId, ids);
    await tx.delete(teamMemberships).where(membership);
    // W3: their conversations in this team go back to Unassigned.
    await releaseAssignments(tx, { professionalId: ids.professionalId, teamId: ids.teamId });
    await recordAudit(tx, audit, {
      action: 'team.member_removed',
      entityType: 'team_membership',
      entityId: `${ids.teamId}:${ids.professionalId}`,
      organisationId: team.organisationId,
    });
  });
}

/**
 * An organisation must keep at least one active coordinator in an active team, or nobody
 * could configure it. `leaving` names what is about to stop counting: one membership, or
 * every membership of a team being deactivated. The organisation row is locked first, so
 * two coordinators removing each other at once cannot both succeed.
 */
async function ensureAnotherCoordinator(
  tx: Tx,
  organisationId: string,
  leaving: { teamId: string; professionalId?: string },
): Promise<void> {
  await lockOrganisation(tx, organisationId);
  const leavingRows = leaving.professionalId
    ? and(
        eq(teamMemberships.teamId, leaving.teamId),
        eq(teamMemberships.professionalId, leaving.professionalId),
      )!
    : eq(teamMemberships.teamId, leaving.teamId);
  const others = await tx
    .select({ professionalId: teamMemberships.professionalId })
    .from(teamMemberships)
    .innerJoin(teams, eq(teams.id, teamMemberships.teamId))
    .innerJoin(professionals, eq(professionals.id, teamMemberships.professionalId))
    .where(
      and(
        eq(teams.organisationId, organisationId),
        eq(teams.active, true),
        eq(professionals.active, true),
        eq(teamMemberships.role, 'coordinator'),
        not(leavingRows),
      ),
    )
    .limit(1);
  if (others.length === 0) {
    throw conflict('team.last_coordinator', 'The organisation must keep at least one coordinator.');
  }
}

export async function createProfessional(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
  input: { name: string; jobTitle: string; email: string },
  request: RequestFacts,
): Promise<Professional> {
  try {
    return await inTransaction(deps, actor, request, async (tx, audit) => {
      const [organisation] = await tx
        .select()
        .from(organisations)
        .where(eq(organisations.id, organisationId));
      if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
      if (!can(actor, 'professional.create', { organisationId })) {
        throw forbidden(
          'professional.forbidden',
          'Only a coordinator of this organisation can add its staff.',
        );
      }
      const [row] = await tx
        .insert(professionals)
        .values({
          organisationId,
          name: input.name.trim(),
          jobTitle: input.jobTitle.trim(),
          email: input.email.trim(),
        })
        .returning({ id: professionals.id });
      if (!row) throw new Error('professional insert returned nothing');
      await recordAudit(tx, audit, {
        action: 'professional.created',
        entityType: 'professional',
        entityId: row.id,
        organisationId,
      });
      return (await findProfessional(tx, row.id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(
        'professional.email_taken',
        'A professional with this email address already exists.',
      );
    throw error;
  }
}
