import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { TeamDetail } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { InactiveStepTag } from '../pathway/InactiveStepTag';
import { useSession } from '../session/useSession';
import { describeHours } from './teamForm';
import { EditTeamForm } from './EditTeamForm';
import { WebsiteButton } from './WebsiteButton';
import { useTeam } from './useTeams';

export function TeamPage() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  usePageTitle(team.data?.name ?? 'Team');
  if (team.isPending) return <Loading what="team" />;
  if (team.isError) return <LoadFailure error={team.error} />;
  return <TeamView team={team.data} />;
}

export function TeamBackLink() {
  const session = useSession();
  const coordinator = (session.data?.user.coordinatorOf.length ?? 0) > 0;
  return coordinator ? (
    <BackLink to="/teams">Back to teams</BackLink>
  ) : (
    <BackLink to="/">Back</BackLink>
  );
}

function TeamView({ team }: { team: TeamDetail }) {
  const location = useLocation();
  const [saved, setSaved] = useState<string | null>(null);
  const flash = saved ?? flashFrom(location.state);
  return (
    <>
      <TeamBackLink />
      {flash ? <SuccessBanner message={flash} focus={saved !== null} /> : null}
      <Heading caption={team.organisationName}>{team.name}</Heading>
      <dl className="nhsuk-summary-list">
        <Row label="Short name">
          {team.slug} (<Link to={`/t/${team.slug}`}>team&rsquo;s web page</Link>)
        </Row>
        <Row label="Description">{team.description || 'None'}</Row>
        <Row label="Patients can message directly">{team.contactable ? 'Yes' : 'No'}</Row>
        <Row label="Phone number">{team.phone ?? 'None'}</Row>
        <Row label="Expected reply time">
          {team.replyWithinWorkingDays === null
            ? 'Not given'
            : `${team.replyWithinWorkingDays} working ${team.replyWithinWorkingDays === 1 ? 'day' : 'days'}`}
        </Row>
        <Row label="Opening hours">
          <ul className="nhsuk-list">
            {describeHours(team).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </Row>
        <Row label="Status">{team.active ? 'Active' : 'Inactive'}</Row>
        <Row label="Members">
          <Link to={`/teams/${team.id}/members`}>
            {team.members.length} {team.members.length === 1 ? 'member' : 'members'}
            <span className="nhsuk-u-visually-hidden"> of {team.name}</span>
          </Link>
        </Row>
        <Row label="Escalation pathway">
          {team.escalationPathway.length === 0 ? (
            <p className="nhsuk-body">None</p>
          ) : (
            <ol className="nhsuk-list nhsuk-list--number">
              {team.escalationPathway.map((step) => (
                <li key={`${step.target.kind}-${step.target.id}`}>
                  {step.target.name} ({step.target.organisationName}), line {step.line}{' '}
                  <InactiveStepTag step={step} />
                </li>
              ))}
            </ol>
          )}
          <Link to={`/teams/${team.id}/escalation-pathway`}>
            {team.actions.setEscalationPathway
              ? 'Change escalation pathway'
              : 'View escalation pathway'}
          </Link>
        </Row>
      </dl>
      {team.actions.update ? <WebsiteButton team={team} /> : null}
      {team.actions.update ? (
        <EditTeamForm team={team} onSaved={() => setSaved('Changes to the team have been saved')} />
      ) : null}
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}
