import { Link } from 'react-router';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { Cell, Row, Table } from '../../components/Table';
import { LoadFailure } from '../../components/ProblemPanel';
import { useUser } from '../session/useSession';
import { staffSsoPath } from '../staff-sso/staffSso';
import { useTeamList } from './useTeams';

export function TeamsListPage() {
  const user = useUser();
  usePageTitle('Teams');
  const several = user.coordinatorOf.length > 1;
  return (
    <>
      <Heading>Teams</Heading>
      {user.coordinatorOf.map((organisation) => (
        <OrganisationTeams
          key={organisation.id}
          organisationId={organisation.id}
          organisationName={organisation.name}
          showName={several}
        />
      ))}
    </>
  );
}

function OrganisationTeams({
  organisationId,
  organisationName,
  showName,
}: {
  organisationId: string;
  organisationName: string;
  showName: boolean;
}) {
  const teams = useTeamList(organisationId);
  return (
    <section aria-label={showName ? organisationName : undefined}>
      {showName ? <h2 className="nhsuk-heading-m">{organisationName}</h2> : null}
      <Link
        className="nhsuk-button"
        to={`/teams/new?organisationId=${encodeURIComponent(organisationId)}`}
      >
        Register a team
        {showName ? <span className="nhsuk-u-visually-hidden"> in {organisationName}</span> : null}
      </Link>
      <ul className="nhsuk-list">
        <li>
          <Link to={`/organisations/${encodeURIComponent(organisationId)}/import/staff`}>
            Import staff
            {showName ? (
              <span className="nhsuk-u-visually-hidden"> to {organisationName}</span>
            ) : null}
          </Link>
        </li>
        <li>
          <Link to={`/organisations/${encodeURIComponent(organisationId)}/import/patients`}>
            Import patients
            {showName ? (
              <span className="nhsuk-u-visually-hidden"> to {organisationName}</span>
            ) : null}
          </Link>
        </li>
      </ul>
      <p className="nhsuk-body">
        <Link to={`/organisations/${encodeURIComponent(organisationId)}/dead-letters`}>
          Notifications that could not be sent
          {showName ? (
            <span className="nhsuk-u-visually-hidden"> in {organisationName}</span>
          ) : null}
        </Link>
      </p>
      <p className="nhsuk-body">
        <Link to={`/organisations/${encodeURIComponent(organisationId)}/appointment-settings`}>
          Appointment settings
          {showName ? (
            <span className="nhsuk-u-visually-hidden"> for {organisationName}</span>
          ) : null}
        </Link>
      </p>
      <p className="nhsuk-body">
        <Link to={`/organisations/${encodeURIComponent(organisationId)}/connected-systems`}>
          Connected systems
          {showName ? (
            <span className="nhsuk-u-visually-hidden"> for {organisationName}</span>
          ) : null}
        </Link>
      </p>
      <p className="nhsuk-body">
        <Link to={staffSsoPath(organisationId)}>
          Staff single sign-on
          {showName ? (
            <span className="nhsuk-u-visually-hidden"> for {organisationName}</span>
          ) : null}
        </Link>
      </p>
      <p className="nhsuk-body">
        <Link to={`/organisations/${encodeURIComponent(organisationId)}/statistics`}>
          Statistics
          {showName ? (
            <span className="nhsuk-u-visually-hidden"> for {organisationName}</span>
          ) : null}
        </Link>
      </p>
      {teams.isPending ? (
        <Loading what="teams" />
      ) : teams.isError ? (
        <LoadFailure error={teams.error} />
      ) : teams.data.length === 0 ? (
        <p className="nhsuk-body">{organisationName} has no teams yet.</p>
      ) : (
        <Table
          caption={`Teams in ${organisationName}`}
          headings={['Team', 'Patients can message directly', 'Phone', 'Status']}
        >
          {teams.data.map((team) => (
            <Row key={team.id}>
              <Cell heading="Team">
                <Link to={`/teams/${team.id}`}>{team.name}</Link>
              </Cell>
              <Cell heading="Patients can message directly">{team.contactable ? 'Yes' : 'No'}</Cell>
              <Cell heading="Phone">{team.phone ?? 'None'}</Cell>
              <Cell heading="Status">{team.active ? 'Active' : 'Inactive'}</Cell>
            </Row>
          ))}
        </Table>
      )}
    </section>
  );
}
