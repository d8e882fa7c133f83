import { Link, useLocation, useSearchParams } from 'react-router';
import type { MyConversation } from '../../api/types';
import { fromMenu } from '../../components/menu';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, Row, Table } from '../../components/Table';
import { WarningCallout } from '../../components/WarningCallout';
import { useUser } from '../session/useSession';
import { formatDateTime, PROGRESS_LABELS, PROGRESS_TAGS } from './format';
import { useMyConversations } from './useConversations';
import { VerifyIdentityCallout } from './VerifyIdentity';

function UnreadTag({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <>
      {' '}
      <strong className="nhsuk-tag nhsuk-tag--blue app-unread">
        New<span className="nhsuk-u-visually-hidden">: {count} unread</span>
      </strong>
    </>
  );
}

function LastFrom({ from }: { from: string }) {
  if (!from) return null;
  return (
    <>
      <br />
      from {from === 'You' ? 'you' : from}
    </>
  );
}

function NextPage({ cursor }: { cursor: string | null }) {
  const [params] = useSearchParams();
  if (!cursor && !params.get('cursor')) return null;
  const next = new URLSearchParams(params);
  if (cursor) next.set('cursor', cursor);
  return (
    <nav className="app-pager" aria-label="Pages">
      {params.get('cursor') ? <Link to="?">First page</Link> : null}
      {cursor ? <Link to={`?${next.toString()}`}>Next page</Link> : null}
    </nav>
  );
}

/** A patient's home: their conversations, newest first (P9), or the verify message (P5). */
export function PatientMessagesPage() {
  const user = useUser();
  usePageTitle('Your messages');
  if (user.identityLevel !== 'P9') {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <Heading caption={user.displayName}>Your messages</Heading>
          <VerifyIdentityCallout />
        </div>
      </div>
    );
  }
  return <PatientMessages name={user.displayName} />;
}

function PatientMessages({ name }: { name: string }) {
  const [params] = useSearchParams();
  const location = useLocation();
  const cursor = params.get('cursor') ?? undefined;
  const conversations = useMyConversations(cursor);
  const flash = flashFrom(location.state);
  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={name}>Your messages</Heading>
      <p className="nhsuk-body">
        Send a secure message to your care teams. Your messages are kept in your health record.
      </p>
      <WarningCallout title="If you need help now">
        Do not use messages for urgent problems. Call 111, or 999 in an emergency.
      </WarningCallout>
      <Link className="nhsuk-button" to="/messages/new">
        Send a new message
      </Link>
      {conversations.isPending ? (
        <Loading what="your messages" />
      ) : conversations.isError ? (
        <SectionLoadFailure error={conversations.error} what="your messages" />
      ) : conversations.data.items.length === 0 ? (
        <p className="nhsuk-body">You have no messages yet.</p>
      ) : (
        <>
          <Table
            caption="Your conversations, newest first"
            headings={['Subject', 'Sent to', 'Progress', 'Last message']}
          >
            {conversations.data.items.map((c) => (
              <PatientRow key={c.id} conversation={c} />
            ))}
          </Table>
          <NextPage cursor={conversations.data.nextCursor} />
        </>
      )}
      <h2 className="nhsuk-heading-m">Your record</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to="/documents">Your documents</Link>
        </li>
        <li>
          <Link to="/access-log">Who has seen my record</Link>
        </li>
        <li>
          <Link to="/carers">Your carers</Link>
        </li>
      </ul>
      <h2 className="nhsuk-heading-m">Caring for someone</h2>
      <ul className="nhsuk-list">
        <li>
          <Link to="/cared-for">People you care for</Link>
        </li>
        <li>
          <Link to="/carers/accept">Accept a carer invitation</Link>
        </li>
      </ul>
    </>
  );
}

function PatientRow({ conversation: c }: { conversation: MyConversation }) {
  return (
    <Row>
      <Cell heading="Subject">
        <Link
          to={`/conversations/${c.id}`}
          state={fromMenu('/')}
          className={c.unreadCount ? 'nhsuk-u-font-weight-bold' : undefined}
        >
          {c.subject}
        </Link>
        <UnreadTag count={c.unreadCount} />
      </Cell>
      <Cell heading="Sent to">
        {[...c.teams, ...c.professionals].map((to) => to.name).join(', ') || 'None'}
      </Cell>
      <Cell heading="Progress">
        {c.progress ? (
          <strong className={`nhsuk-tag ${PROGRESS_TAGS[c.progress]}`}>
            {PROGRESS_LABELS[c.progress]}
          </strong>
        ) : null}
      </Cell>
      <Cell heading="Last message">
        {formatDateTime(c.lastMessageAt)}
        <LastFrom from={c.lastMessageFrom} />
      </Cell>
    </Row>
  );
}

/** Staff: their teams' conversations and those they joined as an individual. */
export function MyConversationsPage() {
  const user = useUser();
  const [params] = useSearchParams();
  const location = useLocation();
  const cursor = params.get('cursor') ?? undefined;
  const conversations = useMyConversations(cursor);
  usePageTitle('My conversations');
  if (user.kind === 'patient') return <PatientMessagesPage />;
  const flash = flashFrom(location.state);
  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={user.displayName}>My conversations</Heading>
      <p className="nhsuk-body">
        Conversations your teams are part of, and those you joined yourself.
      </p>
      {conversations.isPending ? (
        <Loading what="conversations" />
      ) : conversations.isError ? (
        <SectionLoadFailure error={conversations.error} what="conversations" />
      ) : conversations.data.items.length === 0 ? (
        <p className="nhsuk-body">You are not in any conversations yet.</p>
      ) : (
        <>
          <Table
            caption="My conversations, newest first"
            captionHidden
            headings={['Subject', 'Patient', 'Teams', 'Last message']}
          >
            {conversations.data.items.map((c) => (
              <Row key={c.id}>
                <Cell heading="Subject">
                  <Link to={`/conversations/${c.id}`} state={fromMenu('/conversations')}>
                    {c.subject}
                  </Link>
                  <UnreadTag count={c.unreadCount} />
                </Cell>
                <Cell heading="Patient">
                  <Link to={`/patients/${c.patient.id}`}>{c.patient.name}</Link>
                </Cell>
                <Cell heading="Teams">{c.teams.map((t) => t.name).join(', ') || 'None'}</Cell>
                <Cell heading="Last message">
                  {formatDateTime(c.lastMessageAt)}
                  <LastFrom from={c.lastMessageFrom} />
                </Cell>
              </Row>
            ))}
          </Table>
          <NextPage cursor={conversations.data.nextCursor} />
        </>
      )}
    </>
  );
}
