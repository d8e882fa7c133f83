import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { invalid } from '../../platform/http/problem';
import { inTransaction, type Actor, type RequestFacts } from '../identity/actor';
import { loadTeamFor } from './directory.commands';
import type { PathwayStep, SetPathwayInput } from './directory.contracts';
import { findProfessional, findTeam, listPathway } from './directory.queries';
import { escalationPathwaySteps } from './directory.schema';

/**
 * Replaces a team's escalation pathway (M2): second-line steps first, then third-line. A
 * step to a team or professional made inactive since it was added may stay (its editors see
 * it, marked; staff are not offered it); a new step must be to an active one. Answers the
 * pathway as its editors see it, inactive steps included.
 */
export async function setEscalationPathway(
  deps: AppDeps,
  actor: Actor,
  teamId: string,
  input: SetPathwayInput,
  request: RequestFacts,
): Promise<PathwayStep[]> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    // The team row is locked, so two saves of one pathway follow one another.
    const team = await loadTeamFor(tx, actor, 'team.setEscalationPathway', teamId);
    await checkPathway(tx, teamId, input);
    await tx.delete(escalationPathwaySteps).where(eq(escalationPathwaySteps.teamId, teamId));
    if (input.steps.length > 0) {
      await tx.insert(escalationPathwaySteps).values(
        input.steps.map((step, position) => ({
          teamId,
          position,
          line: step.line,
          targetTeamId: 'teamId' in step ? step.teamId : null,
          targetProfessionalId: 'professionalId' in step ? step.professionalId : null,
        })),
      );
    }
    await recordAudit(tx, audit, {
      action: 'team.escalation_pathway_set',
      entityType: 'team',
      entityId: teamId,
      organisationId: team.organisationId,
      details: { steps: input.steps.length },
    });
    return listPathway(tx, teamId, { withInactive: true });
  });
}

const stepKey = (step: { teamId: string } | { professionalId: string }) =>
  'teamId' in step ? `team:${step.teamId}` : `professional:${step.professionalId}`;

/** The targets already in the pathway, as `stepKey` names them. */
async function currentTargets(tx: Tx, teamId: string): Promise<Set<string>> {
  const rows = await tx
    .select({
      teamId: escalationPathwaySteps.targetTeamId,
      professionalId: escalationPathwaySteps.targetProfessionalId,
    })
    .from(escalationPathwaySteps)
    .where(eq(escalationPathwaySteps.teamId, teamId));
  return new Set(
    rows.flatMap((row) =>
      row.teamId
        ? [stepKey({ teamId: row.teamId })]
        : row.professionalId
          ? [stepKey({ professionalId: row.professionalId })]
          : [],
    ),
  );
}

async function checkPathway(tx: Tx, teamId: string, input: SetPathwayInput): Promise<void> {
  const problems = [];
  const seen = new Set<string>();
  const kept = await currentTargets(tx, teamId);
  let previousLine = 2;
  for (const [i, step] of input.steps.entries()) {
    const field = `body/steps/${i}`;
    const key = stepKey(step);
    if (seen.has(key))
      problems.push({
        field,
        code: 'pathway.duplicate_step',
        message: 'This step is already in the pathway',
      });
    seen.add(key);
    if (step.line < previousLine) {
      problems.push({
        field,
        code: 'pathway.out_of_order',
        message: 'Second-line steps must come before third-line steps',
      });
    }
    previousLine = step.line;
    if ('teamId' in step) {
      if (step.teamId === teamId)
        problems.push({ field, code: 'pathway.self', message: 'A team cannot escalate to itself' });
      const target = await findTeam(tx, step.teamId);
      if (!target || (!target.active && !kept.has(key)))
        problems.push({ field, code: 'pathway.unknown_team', message: 'Choose an active team' });
    } else {
      const target = await findProfessional(tx, step.professionalId);
      if (!target || (!target.active && !kept.has(key)))
        problems.push({
          field,
          code: 'pathway.unknown_professional',
          message: 'Choose an active professional',
        });
    }
  }
  if (problems.length > 0) throw invalid(problems, 'The escalation pathway is not valid');
}
