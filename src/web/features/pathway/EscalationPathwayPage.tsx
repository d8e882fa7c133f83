import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { setEscalationPathway } from '../../api/endpoints';
import type { Line, PathwayStep, PathwayTarget, StepInput, TeamDetail } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ApiError, fieldKey } from '../../api/client';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { teamKeys, useTeam } from '../teams/useTeams';
import { AddStepSearch } from './AddStepSearch';
import { isInactive } from './InactiveStepTag';
import { StepsTable } from './StepsTable';

export function EscalationPathwayPage() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  usePageTitle(team.data ? `Escalation pathway for ${team.data.name}` : 'Escalation pathway');
  if (team.isPending) return <Loading what="escalation pathway" />;
  if (team.isError) return <LoadFailure error={team.error} />;
  return <PathwayEditor team={team.data} />;
}

const MAX_STEPS = 10;

/** The server's rules, checked first so the person gets the message without a round trip. */
function checkSteps(steps: PathwayStep[]): SummaryError[] {
  const problems: SummaryError[] = [];
  if (steps.length > MAX_STEPS) {
    problems.push({
      href: null,
      message: `An escalation pathway can have up to ${MAX_STEPS} steps`,
    });
  }
  steps.forEach((step, index) => {
    const before = steps[index - 1];
    if (before && before.line > step.line) {
      problems.push({
        href: `step-${step.target.id}-line`,
        message: `Move ${step.target.name} above the third-line steps, or make it third line: second-line steps must come before third-line steps`,
      });
    }
  });
  return problems;
}

/** Adds a step at the end of its line, so second-line steps stay before third-line ones. */
function insertStep(steps: PathwayStep[], step: PathwayStep): PathwayStep[] {
  if (step.line === 3) return [...steps, step];
  const firstThird = steps.findIndex((s) => s.line === 3);
  if (firstThird === -1) return [...steps, step];
  return [...steps.slice(0, firstThird), step, ...steps.slice(firstThird)];
}

function toInput(steps: PathwayStep[]): StepInput[] {
  return steps.map((step) =>
    step.target.kind === 'team'
      ? { line: step.line, teamId: step.target.id }
      : { line: step.line, professionalId: step.target.id },
  );
}

function PathwayEditor({ team }: { team: TeamDetail }) {
  const [steps, setSteps] = useState<PathwayStep[]>(team.escalationPathway);
  const [status, setStatus] = useState('');
  const [saved, setSaved] = useState(0);
  const errors = useFormErrors();
  const client = useQueryClient();
  const canEdit = team.actions.setEscalationPathway;
  const focusAfter = useRef<string | null>(null);
  usePageTitle(`Escalation pathway for ${team.name}`, errors.hasErrors);

  useEffect(() => {
    if (!focusAfter.current) return;
    document.getElementById(focusAfter.current)?.focus();
    focusAfter.current = null;
  });

  const save = useMutation({
    mutationFn: () => setEscalationPathway(team.id, toInput(steps)),
    onSuccess: async (result) => {
      setSteps(result.escalationPathway);
      client.setQueryData<TeamDetail>(teamKeys.detail(team.id), (old) =>
        old ? { ...old, escalationPathway: result.escalationPathway } : old,
      );
      await client.invalidateQueries({ queryKey: teamKeys.detail(team.id) });
      errors.clear();
      setStatus('');
      setSaved((n) => n + 1);
    },
    onError: (error) => {
      // Name the step each problem is about: "PALS: This step is already in the pathway".
      const problems = error instanceof ApiError ? (error.problem.errors ?? []) : [];
      if (problems.length === 0) return errors.showApiError(error);
      errors.show(
        problems.map((problem) => {
          const index = /^steps\.(\d+)/.exec(fieldKey(problem.field))?.[1];
          const step = index === undefined ? undefined : steps[Number(index)];
          return step
            ? {
                href: `step-${step.target.id}-line`,
                message: `${step.target.name}: ${problem.message}`,
              }
            : { href: null, message: problem.message };
        }),
      );
    },
  });

  const move = (index: number, by: -1 | 1) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    if (!step) return;
    next.splice(index + by, 0, step);
    setSteps(next);
    const newIndex = index + by;
    // Keep focus on the same kind of button; at either end only the other one exists.
    const atEnd = by === -1 ? newIndex === 0 : newIndex === next.length - 1;
    const direction = (by === -1) !== atEnd ? 'up' : 'down';
    focusAfter.current = `step-${step.target.id}-${direction}`;
    setStatus(`${step.target.name} moved to position ${newIndex + 1} of ${next.length}`);
  };

  const remove = (index: number) => {
    const step = steps[index];
    if (!step) return;
    setSteps(steps.filter((_, i) => i !== index));
    focusAfter.current = 'pathway-heading';
    setStatus(`${step.target.name} removed from the pathway. Save to keep this change.`);
  };

  const setLine = (index: number, line: Line) =>
    setSteps(steps.map((step, i) => (i === index ? { ...step, line } : step)));

  const add = (target: PathwayTarget, line: Line) => {
    setSteps(insertStep(steps, { line, target }));
    focusAfter.current = 'pathway-heading';
    setStatus(
      `${target.name} added as ${line === 2 ? 'second' : 'third'} line. Save the escalation pathway to keep this change.`,
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = checkSteps(steps);
    if (problems.length) return errors.show(problems);
    save.mutate();
  };

  const excludeIds = new Set([team.id, ...steps.map((s) => s.target.id)]);

  return (
    <>
      <BackLink to={`/teams/${team.id}`}>Back to {team.name}</BackLink>
      {saved > 0 ? <SuccessBanner message="The escalation pathway has been saved" focus /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption={team.name}>Escalation pathway</Heading>
      <p className="nhsuk-body">
        When staff in {team.name} bring others into a conversation, these teams and people are
        offered first, in this order.
      </p>
      {canEdit && steps.some(isInactive) ? (
        <p className="nhsuk-body">
          A step marked “Inactive – not offered to staff” is to a team or person that has been made
          inactive. It stays in the pathway, and is offered again if they are made active again.
          Remove it if it is no longer needed.
        </p>
      ) : null}
      <div className="nhsuk-u-visually-hidden" role="status" aria-live="polite">
        {status}
      </div>
      <h2 className="nhsuk-heading-m" id="pathway-heading" tabIndex={-1}>
        Steps
      </h2>
      <form noValidate onSubmit={onSubmit}>
        {steps.length === 0 ? (
          <p className="nhsuk-body">There are no steps in this escalation pathway.</p>
        ) : (
          <StepsTable
            steps={steps}
            canEdit={canEdit}
            errors={errors.fields}
            onMove={move}
            onRemove={remove}
            onLine={setLine}
          />
        )}
        {canEdit ? (
          <button className="nhsuk-button" type="submit" disabled={save.isPending}>
            Save escalation pathway
          </button>
        ) : null}
      </form>
      {canEdit ? (
        <AddStepSearch
          defaultOrganisationId={team.organisationId}
          excludeIds={excludeIds}
          onAdd={add}
        />
      ) : null}
    </>
  );
}
