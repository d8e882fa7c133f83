import { Link } from 'react-router';
import type { SessionUser } from '../api/types';
import { Heading, usePageTitle } from '../components/Page';
import { Cell, Row, Table } from '../components/Table';
import { useUser } from '../features/session/useSession';

const ROLE_LABELS = { member: 'Member', manager: 'Manager', coordinator: 'Coordinator' } as const;

export function HomePage() {
  const user = useUser();
  return user.kind === 'patient' ? <PatientHome user={user} /> : <StaffHome user={user} />;
}

function PatientHome({ user }: { user: SessionUser }) {
  usePageTitle('Your messages');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading caption={user.displayName}>Your messages</Heading>
        {user.identityLevel === 'P9' ? (
          <p className="nhsuk-body">Your messages will appear here.</p>
        ) : (
          <div className="nhsuk-warning-callout">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                Verify your identity
              </span>
            </h2>
            <p>
              You need to verify your identity with NHS login before you can read or send messages.
            </p>
          </div>
        )}
      </div>
    </div>
  );
}

function StaffHome({ user }: { user: SessionUser }) {
  usePageTitle('Home');
  return (
    <>
      <Heading caption={user.displayName}>Home</Heading>
      {user.coordinatorOf.length > 0 ? (
        <p className="nhsuk-body">
          You coordinate {user.coordinatorOf.map((o) => o.name).join(', ')}.{' '}
          <Link to="/teams">Manage teams</Link>
        </p>
      ) : null}
      <h2 className="nhsuk-heading-m">Your teams</h2>
      {user.memberships.length === 0 ? (
        <p className="nhsuk-body">You are not a member of any team yet.</p>
      ) : (
        <Table caption="Your teams" captionHidden headings={['Team', 'Organisation', 'Your role']}>
          {user.memberships.map((m) => (
            <Row key={m.teamId}>
              <Cell heading="Team">
                <Link to={`/teams/${m.teamId}`}>{m.teamName}</Link>
              </Cell>
              <Cell heading="Organisation">{m.organisationName}</Cell>
              <Cell heading="Your role">{ROLE_LABELS[m.role]}</Cell>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}
