import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { formatDateTime } from '../conversations/format';
import { useUser } from '../session/useSession';
import { useDeadLetters } from './useNotifications';

const KIND_LABELS: Record<string, string> = {
  'message.notify': 'New message email',
  'message.reminder': 'Reminder email',
  digest: 'Daily digest email',
};

const TITLE = 'Notifications that could not be sent';

/** /organisations/:organisationId/dead-letters: failed notifications, for coordinators. */
export function DeadLettersPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  return <DeadLetters organisationId={organisation.id} organisationName={organisation.name} />;
}

function DeadLetters({
  organisationId,
  organisationName,
}: {
  organisationId: string;
  organisationName: string;
}) {
  const deadLetters = useDeadLetters(organisationId);
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <Heading caption={organisationName}>{TITLE}</Heading>
      <p className="nhsuk-body">
        These email notifications failed every time Carethread tried to send them. The conversations
        themselves are safe: people still see their messages when they sign in. Check the person’s
        email address, or your email service, if the same problem keeps happening.
      </p>
      {deadLetters.isPending ? (
        <Loading what="failed notifications" />
      ) : deadLetters.isError ? (
        <SectionLoadFailure error={deadLetters.error} what="the failed notifications" />
      ) : deadLetters.data.length === 0 ? (
        <p className="nhsuk-body">There are no failed notifications.</p>
      ) : (
        <Table
          caption={`Failed notifications in ${organisationName}, newest first`}
          captionHidden
          headings={['Created', 'Notification', 'Recipient', 'Attempts', 'Last error']}
        >
          {deadLetters.data.map((item) => (
            <Row key={item.id}>
              <Cell heading="Created">{formatDateTime(item.createdAt)}</Cell>
              <Cell heading="Notification">{KIND_LABELS[item.kind] ?? item.kind}</Cell>
              <Cell heading="Recipient">{item.recipient}</Cell>
              <Cell heading="Attempts">{item.attempts}</Cell>
              <Cell heading="Last error">
                <span className="app-break-word">{item.lastError ?? 'None recorded'}</span>
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}
