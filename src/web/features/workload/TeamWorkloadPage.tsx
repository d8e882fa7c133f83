import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { fromMenu } from '../../components/menu';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { durationSince, formatDateTime, waitingWords } from '../conversations/format';
import { useUser } from '../session/useSession';
import { BarChartWithTable } from './BarChartWithTable';
import {
  minutesWords,
  type ResponseTimes,
  type TeamWorkload,
  useTeamWorkload,
} from './workloadApi';

const TITLE = 'Who is helping whom';

/** /inbox/:teamId/workload: the team's managers see each member's work and the team's pace. */
export function TeamWorkloadPage() {
  const { teamId = '' } = useParams();
  const user = useUser();
  const membership = user.memberships.find((m) => m.teamId === teamId && m.role === 'manager');
  usePageTitle(TITLE);
  if (!membership) return <LoadFailure error={new ApiError({ status: 404 })} />;
  return <Workload teamId={teamId} teamName={membership.teamName} />;
}

function Workload({ teamId, teamName }: { teamId: string; teamName: string }) {
  const workload = useTeamWorkload(teamId);
  return (
    <>
      <BackLink to={`/inbox/${teamId}`}>Back to the team inbox</BackLink>
      <Heading caption={teamName}>{TITLE}</Heading>
      {workload.isPending ? (
        <Loading what="the team’s workload" />
      ) : workload.isError ? (
        <SectionLoadFailure error={workload.error} what="the team’s workload" />
      ) : (
        <WorkloadFigures workload={workload.data} />
      )}
    </>
  );
}

function WorkloadFigures({ workload }: { workload: TeamWorkload }) {
  const { unassigned } = workload;
  return (
    <>
      <div className="nhsuk-card">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading nhsuk-heading-m">Unassigned</h2>
          <p className="nhsuk-card__description">
            {unassigned.count === 0
              ? 'Nobody is waiting for the team to pick up a conversation.'
              : `${unassigned.count} conversation${unassigned.count === 1 ? '' : 's'} with nobody assigned.`}
            {unassigned.oldestWaitingSince
              ? ` The patient who has waited longest has waited ${durationSince(unassigned.oldestWaitingSince)}.`
              : null}
          </p>
          <Link to={`/inbox/${workload.team.id}?view=unassigned`}>Open the Unassigned view</Link>
        </div>
      </div>

      <h2 className="nhsuk-heading-m">Assigned conversations</h2>
      {workload.members.map((member) => (
        <section key={member.professionalId} aria-labelledby={`member-${member.professionalId}`}>
          <h3 className="nhsuk-heading-s" id={`member-${member.professionalId}`}>
            {member.name}
            {member.role === 'manager' ? ' (manager)' : null}
            <span className="nhsuk-caption-m">
              {member.assigned.length === 0
                ? 'Nothing assigned'
                : `${member.assigned.length} assigned`}
            </span>
          </h3>
          {member.assigned.length > 0 ? (
            <Table
              caption={`Conversations assigned to ${member.name}`}
              captionHidden
              headings={['Patient', 'Subject', 'Assigned', 'Waiting']}
            >
              {member.assigned.map((item) => (
                <Row key={item.conversationId}>
                  <Cell heading="Patient">{item.patient.name}</Cell>
                  <Cell heading="Subject">
                    <Link to={`/conversations/${item.conversationId}`} state={fromMenu('/inbox')}>
                      {item.subject}
                    </Link>
                  </Cell>
                  <Cell heading="Assigned">
                    {item.assignedAt ? formatDateTime(item.assignedAt) : 'Unknown'}
                  </Cell>
                  <Cell heading="Waiting">{waitingWords(item.waitingSince)}</Cell>
                </Row>
              ))}
            </Table>
          ) : null}
        </section>
      ))}

      <h2 className="nhsuk-heading-m">How quickly the team answers</h2>
      <Table
        caption="Median times, measured from the patient’s first message"
        headings={['Period', 'First response', 'Completion']}
      >
        <TimesRow period="Last 7 days" times={workload.last7Days} />
        <TimesRow period="Last 30 days" times={workload.last30Days} />
      </Table>

      <h2 className="nhsuk-heading-m">Completed per day</h2>
      <p className="nhsuk-body">
        {completedWords(workload.completedPerDay.reduce((sum, day) => sum + day.completed, 0))}
      </p>
      <BarChartWithTable
        rows={workload.completedPerDay.map((day) => ({ date: day.date, value: day.completed }))}
        dateLabel="Day"
        valueLabel="Completed"
        caption={`Conversations completed per day by ${workload.team.name}, last 30 days`}
        tickEvery={7}
      />
    </>
  );
}

function TimesRow({ period, times }: { period: string; times: ResponseTimes }) {
  return (
    <Row>
      <Cell heading="Period">{period}</Cell>
      <Cell heading="First response">
        {minutesWords(times.firstResponseMedianMinutes)}
        <span className="nhsuk-u-secondary-text-colour"> ({times.firstResponses} answered)</span>
      </Cell>
      <Cell heading="Completion">
        {minutesWords(times.completionMedianMinutes)}
        <span className="nhsuk-u-secondary-text-colour"> ({times.completions} completed)</span>
      </Cell>
    </Row>
  );
}

function completedWords(total: number): string {
  if (total === 0) return 'No conversations were completed in the last 30 days.';
  return `${total} conversation${total === 1 ? ' was' : 's were'} completed in the last 30 days.`;
}
