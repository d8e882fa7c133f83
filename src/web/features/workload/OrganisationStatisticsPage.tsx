import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { formatDate } from '../conversations/format';
import { useUser } from '../session/useSession';
import { BarChartWithTable } from './BarChartWithTable';
import {
  minutesWords,
  type OrganisationStatistics,
  statisticsCsvHref,
  useOrganisationStatistics,
} from './workloadApi';

const TITLE = 'Statistics';

/** /organisations/:organisationId/statistics: aggregated figures for coordinators. */
export function OrganisationStatisticsPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  return <Statistics organisationId={organisation.id} organisationName={organisation.name} />;
}

function Statistics({
  organisationId,
  organisationName,
}: {
  organisationId: string;
  organisationName: string;
}) {
  const statistics = useOrganisationStatistics(organisationId);
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <Heading caption={organisationName}>{TITLE}</Heading>
      <p className="nhsuk-body">
        Figures for the whole organisation. They count conversations and messages; they never name a
        patient.
      </p>
      <p className="nhsuk-body">
        <a href={statisticsCsvHref(organisationId)} download>
          Download these statistics (CSV)
        </a>
      </p>
      {statistics.isPending ? (
        <Loading what="statistics" />
      ) : statistics.isError ? (
        <SectionLoadFailure error={statistics.error} what="the statistics" />
      ) : (
        <Figures statistics={statistics.data} />
      )}
    </>
  );
}

function Figures({ statistics }: { statistics: OrganisationStatistics }) {
  const { weeks, teams, patients } = statistics;
  const lastWeek = weeks.length - 1;
  // Not the teams' figures added up: a message in a conversation with two teams is one message.
  const totals = weeks.map((date, i) => ({ date, value: statistics.messagesPerWeek[i] ?? 0 }));
  return (
    <>
      <h2 className="nhsuk-heading-m">Patients</h2>
      <p className="nhsuk-body">
        {patients.registered} registered, of whom {patients.verified} have verified their identity
        with NHS login.
      </p>

      <h2 className="nhsuk-heading-m">Messages per week</h2>
      <BarChartWithTable
        rows={totals}
        dateLabel="Week starting"
        valueLabel="Messages"
        caption="Messages in all teams’ conversations per week"
        tickEvery={2}
      />

      <h2 className="nhsuk-heading-m">Teams</h2>
      <Table
        caption={`Messages and response times by team (median times over the last 30 days)`}
        headings={[
          'Team',
          `Messages since ${formatDate(weeks[0] ?? '')}`,
          'This week',
          'First response',
          'Completion',
        ]}
      >
        {teams.map((team) => (
          <Row key={team.teamId}>
            <Cell heading="Team">{team.name}</Cell>
            <Cell heading={`Messages since ${formatDate(weeks[0] ?? '')}`}>
              {team.messagesPerWeek.reduce((sum, n) => sum + n, 0)}
            </Cell>
            <Cell heading="This week">{team.messagesPerWeek[lastWeek] ?? 0}</Cell>
            <Cell heading="First response">
              {minutesWords(team.last30Days.firstResponseMedianMinutes)}
            </Cell>
            <Cell heading="Completion">
              {minutesWords(team.last30Days.completionMedianMinutes)}
            </Cell>
          </Row>
        ))}
      </Table>
    </>
  );
}
