import { Link } from 'react-router';
import type { SessionUser } from '../api/types';
import { Heading, usePageTitle } from '../components/Page';
import { Cell, hidden, Row, Table } from '../components/Table';
import { PatientMessagesPage } from '../features/conversations/MyConversationsPage';
import { useUser } from '../features/session/useSession';

const ROLE_LABELS = { member: 'Member', manager: 'Manager', coordinator: 'Coordinator' } as const;

export function HomePage() {
  const user = useUser();
  return user.kind === 'patient' ? <PatientMessagesPage /> : <StaffHome user={user} />;
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
      {user.memberships.length > 0 ? (
        <p className="nhsuk-body">
          Choose how you hear about new messages in{' '}
          <Link to="/settings/notifications">your email notification settings</Link>.
        </p>
      ) : null}
      {user.memberships.length === 0 ? (
        <p className="nhsuk-body">You are not a member of any team yet.</p>
      ) : (
        <Table
          caption="Your teams"
          captionHidden
          headings={['Team', 'Organisation', 'Your role', hidden('Inbox')]}
        >
          {user.memberships.map((m) => (
            <Row key={m.teamId}>
              <Cell heading="Team">
                <Link to={`/teams/${m.teamId}`}>{m.teamName}</Link>
              </Cell>
              <Cell heading="Organisation">{m.organisationName}</Cell>
              <Cell heading="Your role">{ROLE_LABELS[m.role]}</Cell>
              <Cell>
                <Link to={`/inbox/${m.teamId}`}>
                  Open inbox<span className="nhsuk-u-visually-hidden"> of {m.teamName}</span>
                </Link>
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}
