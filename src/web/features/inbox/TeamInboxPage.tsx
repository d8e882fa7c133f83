import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { getTeamInbox } from '../../api/endpoints';
import type { InboxItem, InboxSort, InboxView, Membership } from '../../api/types';
import { Select } from '../../components/fields';
import { fromMenu } from '../../components/menu';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, Row, Table } from '../../components/Table';
import { formatDateTime, formatNhsNumber, waitingWords } from '../conversations/format';
import { inboxKeys } from '../conversations/useConversations';
import { useUser } from '../session/useSession';

const VIEWS: { view: InboxView; label: string }[] = [
  { view: 'unassigned', label: 'Unassigned' },
  { view: 'mine', label: 'Mine' },
  { view: 'others', label: 'Assigned to others' },
  { view: 'archived', label: 'Archived' },
];

/** Each view's table caption, read by screen readers: words, not "Mine conversations". */
const VIEW_CAPTIONS: Record<InboxView, string> = {
  unassigned: 'Unassigned conversations',
  mine: 'Conversations assigned to you',
  others: 'Conversations assigned to others',
  archived: 'Archived conversations, most recent activity first',
};

const SORTS: { value: InboxSort; label: string }[] = [
  { value: 'waiting', label: 'Waiting longest first' },
  { value: 'newest', label: 'Newest first' },
];

const PAGE_SIZE = 25;

function readView(value: string | null): InboxView {
  return VIEWS.some((v) => v.view === value) ? (value as InboxView) : 'unassigned';
}

function readSort(value: string | null): InboxSort {
  return value === 'newest' ? 'newest' : 'waiting';
}

/** /inbox: straight to the team inbox, or a choice when someone works in several teams. */
export function InboxChooserPage() {
  const user = useUser();
  usePageTitle('Team inboxes');
  const [only] = user.memberships;
  if (user.memberships.length === 1 && only)
    return <Navigate to={`/inbox/${only.teamId}`} replace />;
  return (
    <>
      <Heading>Team inboxes</Heading>
      {user.memberships.length === 0 ? (
        <p className="nhsuk-body">You are not a member of any team yet.</p>
      ) : (
        <ul className="nhsuk-list">
          {user.memberships.map((m) => (
            <li key={m.teamId}>
              <Link to={`/inbox/${m.teamId}`}>{m.teamName}</Link>
              {user.memberships.some(
                (o) => o.teamId !== m.teamId && o.organisationName !== m.organisationName,
              )
                ? `, ${m.organisationName}`
                : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function TeamInboxPage() {
  const { teamId = '' } = useParams();
  const user = useUser();
  const membership = user.memberships.find((m) => m.teamId === teamId);
  // The titles are the view's own and LoadFailure's: a title set here as well would run
  // after the view's and hide which view this is.
  if (!membership) return <LoadFailure error={new ApiError({ status: 404 })} />;
  return <TeamInbox key={teamId} membership={membership} />;
}

function TeamInbox({ membership }: { membership: Membership }) {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const view = readView(params.get('view'));
  const sort = readSort(params.get('sort'));
  const patientId = params.get('patientId') ?? undefined;
  const cursor = params.get('cursor') ?? undefined;
  const flash = flashFrom(location.state);
  const inbox = useQuery({
    queryKey: [...inboxKeys.all, membership.teamId, view, sort, patientId, cursor],
    queryFn: () =>
      getTeamInbox(membership.teamId, { view, sort, patientId, cursor, limit: PAGE_SIZE }),
  });
  const viewLabel = VIEWS.find((v) => v.view === view)?.label ?? '';
  usePageTitle(`${viewLabel} – ${membership.teamName} inbox`);

  const link = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    next.delete('cursor');
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) next.delete(key);
      else next.set(key, value);
    }
    const text = next.toString();
    return text ? `?${text}` : '?';
  };

  const onSort = (choice: InboxSort) => {
    const next = new URLSearchParams(params);
    next.delete('cursor');
    if (choice === 'waiting') next.delete('sort');
    else next.set('sort', choice);
    setParams(next);
  };

  // The filtered patient's name, from any page of the inbox that showed them: a view where
  // they have no conversations still says whose they would be.
  const patientNames = useRef(new Map<string, string>());
  for (const item of inbox.data?.items ?? []) {
    patientNames.current.set(item.patient.id, item.patient.name);
  }
  const patientName = patientId ? patientNames.current.get(patientId) : undefined;

  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={membership.teamName}>Team inbox</Heading>
      {membership.role === 'manager' ? (
        <p className="nhsuk-body">
          <Link to={`/inbox/${membership.teamId}/workload`}>Who is helping whom</Link>
        </p>
      ) : null}
      <nav className="app-sub-nav" aria-label="Inbox views">
        <ul className="app-sub-nav__list">
          {VIEWS.map((v) => {
            const count = inbox.data?.counts[v.view];
            const current = v.view === view;
            return (
              <li
                className={`app-sub-nav__item${current ? ' app-sub-nav__item--current' : ''}`}
                key={v.view}
              >
                <Link
                  className="app-sub-nav__link"
                  to={link({ view: v.view === 'unassigned' ? undefined : v.view })}
                  aria-current={current ? 'page' : undefined}
                >
                  {v.label}
                  {count === undefined ? null : ` (${count})`}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <h2 className="nhsuk-heading-m" id="inbox-view-heading">
        {viewLabel}
      </h2>
      {patientId ? (
        <p className="nhsuk-body">
          Showing conversations with {patientName ?? 'one patient'} only.{' '}
          <Link to={link({ patientId: undefined })}>Show all patients</Link>
        </p>
      ) : null}
      {/* Nobody waits on archived work: that view is always newest activity first. Keyed by
          the sort in the address, so Back shows the order the list is really in. */}
      {view === 'archived' ? null : <SortForm key={sort} sort={sort} onSort={onSort} />}

      {inbox.isPending ? (
        <Loading what="conversations" />
      ) : inbox.isError ? (
        <SectionLoadFailure error={inbox.error} what="the inbox" />
      ) : inbox.data.items.length === 0 ? (
        <p className="nhsuk-body">There are no conversations here.</p>
      ) : (
        <>
          <Table
            caption={VIEW_CAPTIONS[view]}
            captionHidden
            headings={[
              'Patient',
              'Subject',
              view === 'archived' ? 'Last activity' : 'Waiting',
              'Assigned',
            ]}
          >
            {inbox.data.items.map((item) => (
              <InboxRow key={item.conversationId} item={item} view={view} link={link} />
            ))}
          </Table>
          <nav className="app-pager" aria-label="Pages">
            {cursor ? <Link to={link({})}>First page</Link> : null}
            {inbox.data.nextCursor ? (
              <Link to={link({ cursor: inbox.data.nextCursor })}>Next page</Link>
            ) : null}
          </nav>
        </>
      )}
    </>
  );
}

function SortForm({ sort, onSort }: { sort: InboxSort; onSort: (choice: InboxSort) => void }) {
  const [choice, setChoice] = useState<InboxSort>(sort);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSort(choice);
  };
  return (
    <form
      className="app-inline-form"
      noValidate
      onSubmit={onSubmit}
      aria-label="Sort conversations"
    >
      <Select
        id="sort"
        label="Sort by"
        options={SORTS}
        value={choice}
        onChange={setChoice}
        formGroup={false}
      />
      <button
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
        type="submit"
      >
        Sort
      </button>
    </form>
  );
}

function InboxRow({
  item,
  view,
  link,
}: {
  item: InboxItem;
  view: InboxView;
  link: (changes: Record<string, string | undefined>) => string;
}) {
  const user = useUser();
  const assigned = item.assignee
    ? item.assignee.professionalId === user.professionalId
      ? 'Assigned to you'
      : `Assigned to ${item.assignee.name}`
    : 'Not assigned';
  return (
    <Row>
      <Cell heading="Patient">
        <Link to={`/patients/${item.patient.id}`}>{item.patient.name}</Link>
        <br />
        <span className="nhsuk-body-s">
          NHS number <span className="app-nowrap">{formatNhsNumber(item.patient.nhsNumber)}</span>
        </span>
        <br />
        <Link className="nhsuk-body-s" to={link({ patientId: item.patient.id })}>
          Only this patient
          <span className="nhsuk-u-visually-hidden"> ({item.patient.name})</span>
        </Link>
      </Cell>
      <Cell heading="Subject">
        <Link
          to={`/conversations/${item.conversationId}`}
          state={fromMenu('/inbox')}
          className={item.unreadCount ? 'nhsuk-u-font-weight-bold' : undefined}
        >
          {item.subject}
        </Link>
        {item.unreadCount ? (
          <>
            {' '}
            <strong className="nhsuk-tag nhsuk-tag--blue">
              New<span className="nhsuk-u-visually-hidden">: {item.unreadCount} unread</span>
            </strong>
          </>
        ) : null}
      </Cell>
      <Cell heading={view === 'archived' ? 'Last activity' : 'Waiting'}>
        {view === 'archived'
          ? formatDateTime(item.lastActivityAt)
          : waitingWords(item.waitingSince)}
      </Cell>
      <Cell heading="Assigned">{view === 'archived' ? 'Archived' : assigned}</Cell>
    </Row>
  );
}
