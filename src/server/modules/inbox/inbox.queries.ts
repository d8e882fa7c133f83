import { patientName } from '../patients/patients.queries';
import { and, asc, desc, eq, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../../platform/db/database';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import { forbidden, notFound } from '../../platform/http/problem';
import { professionals } from '../directory/directory.schema';
import { findTeam } from '../directory/directory.queries';
import type { Actor } from '../identity/actor';
import { patients } from '../patients/patients.schema';
import {
  conversations,
  conversationTeamStates,
  teamInboxCounts,
} from '../conversations/conversations.schema';
import { requireVerifiedActor } from '../identity/verification';
import { lastReadSeq } from '../conversations/conversations.queries';
import type { InboxSort, InboxView, TeamInbox } from './inbox.contracts';

const s = conversationTeamStates;
/** Oldest waiting first; conversations nobody is waiting on come last. Matches the index. */
const waitingKey = sql`coalesce(${s.waitingSince}, 'infinity'::timestamptz)`;

/** The four views. `team_inbox_bucket` (migration 0006) keeps the counts by the same cases. */
function viewFilter(view: InboxView, professionalId: string): SQL {
  switch (view) {
    case 'unassigned':
      return and(isNull(s.archivedAt), isNull(s.assigneeProfessionalId))!;
    case 'mine':
      return and(isNull(s.archivedAt), eq(s.assigneeProfessionalId, professionalId))!;
    case 'others':
      return and(
        isNull(s.archivedAt),
        isNotNull(s.assigneeProfessionalId),
        ne(s.assigneeProfessionalId, professionalId),
      )!;
    case 'archived':
      return isNotNull(s.archivedAt);
  }
}

/**
 * A team's inbox for one of its members (W2): one view, its page of conversations and the
 * counts of all four views. Keyset pages; waiting order puts the longest-waiting patient first.
 */
export async function getTeamInbox(
  db: Database,
  actor: Actor,
  teamId: string,
  query: { view: InboxView; sort: InboxSort; patientId?: string; cursor?: string; limit: number },
): Promise<TeamInbox> {
  const reader = requireVerifiedActor(actor);
  if (reader.kind !== 'professional' || !reader.memberships.some((m) => m.teamId === teamId)) {
    const team = await findTeam(db, teamId);
    if (!team || reader.kind !== 'professional') throw notFound('team.not_found', 'Team not found');
    throw forbidden('inbox.not_team_member', 'Only members of the team see its inbox.');
  }
  // Archived work waits for nobody (archiving clears waitingSince), so "waiting" would order
  // it by id alone: the Archived view is always newest activity first.
  const waiting = query.sort === 'waiting' && query.view !== 'archived';
  const after = readCursor(
    query.cursor,
    2,
    ([at]) => isTimestamp(at) || (waiting && at === 'infinity'),
  );

  const scope = and(
    eq(s.teamId, teamId),
    query.patientId ? eq(s.patientId, query.patientId) : undefined,
  );
  const me = reader.professionalId;

  const keyset = !after
    ? undefined
    : waiting
      ? sql`(${waitingKey}, ${s.conversationId}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`
      : sql`(${s.lastActivityAt}, ${s.conversationId}) < (${after[0]}::timestamptz, ${after[1]}::uuid)`;
  const rows = await db
    .select({
      conversationId: s.conversationId,
      subject: conversations.subject,
      patientId: patients.id,
      givenName: patients.givenName,
      familyName: patients.familyName,
      nhsNumber: patients.nhsNumber,
      waitingSince: s.waitingSince,
      lastActivityAt: s.lastActivityAt,
      lastMessageSeq: conversations.lastMessageSeq,
      lastRead: lastReadSeq(reader.userId, s.conversationId),
      assigneeId: s.assigneeProfessionalId,
      assigneeName: professionals.name,
      // The team's kept counts ride on every row (PostgreSQL reads them once per query).
      buckets: query.patientId ? sql<null>`null` : bucketsOf(teamId),
    })
    .from(s)
    .innerJoin(conversations, eq(conversations.id, s.conversationId))
    .innerJoin(patients, eq(patients.id, s.patientId))
    .leftJoin(professionals, eq(professionals.id, s.assigneeProfessionalId))
    .where(and(scope, viewFilter(query.view, me), keyset))
    .orderBy(
      ...(waiting
        ? [asc(waitingKey), asc(s.conversationId)]
        : [desc(s.lastActivityAt), desc(s.conversationId)]),
    )
    .limit(query.limit + 1);

  const counts = query.patientId
    ? await countForPatient(db, scope!, me)
    : countsOf(rows[0] ? rows[0].buckets : await teamBuckets(db, teamId), me);
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return {
    counts,
    items: items.map((row) => ({
      conversationId: row.conversationId,
      subject: row.subject,
      patient: {
        id: row.patientId,
        name: patientName(row),
        nhsNumber: row.nhsNumber,
      },
      waitingSince: row.waitingSince?.toISOString() ?? null,
      lastActivityAt: row.lastActivityAt.toISOString(),
      unreadCount: Math.max(0, row.lastMessageSeq - (row.lastRead ?? 0)),
      assignee: row.assigneeId
        ? { professionalId: row.assigneeId, name: row.assigneeName ?? '' }
        : null,
    })),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor([
            waiting
              ? (last.waitingSince?.toISOString() ?? 'infinity')
              : last.lastActivityAt.toISOString(),
            last.conversationId,
          ])
        : null,
  };
}

type InboxCounts = TeamInbox['counts'];

interface Bucket {
  bucket: string;
  conversations: number;
}

/** The rows the work-state trigger keeps for the team (migration 0006), as one json column. */
function bucketsOf(teamId: string) {
  return sql<Bucket[] | null>`(
    select json_agg(json_build_object('bucket', c.bucket, 'conversations', c.conversations))
      from ${teamInboxCounts} c where c.team_id = ${teamId})`;
}

/** The same rows on their own, for a page with no rows to carry them. */
async function teamBuckets(db: Database, teamId: string): Promise<Bucket[]> {
  return db
    .select({ bucket: teamInboxCounts.bucket, conversations: teamInboxCounts.conversations })
    .from(teamInboxCounts)
    .where(eq(teamInboxCounts.teamId, teamId));
}

/** The four views' counts for one member, from the team's kept buckets. */
function countsOf(buckets: readonly Bucket[] | null, me: string): InboxCounts {
  const counts: InboxCounts = { unassigned: 0, mine: 0, others: 0, archived: 0 };
  for (const { bucket, conversations } of buckets ?? []) {
    if (bucket === 'unassigned' || bucket === 'archived') counts[bucket] += conversations;
    else if (bucket === me) counts.mine += conversations;
    else counts.others += conversations;
  }
  return counts;
}

/** Counts within one patient's conversations with the team: few rows, counted directly. */
async function countForPatient(db: Database, scope: SQL, me: string): Promise<InboxCounts> {
  const countOf = (view: InboxView) =>
    sql`(select count(*)::int from ${s} where ${and(scope, viewFilter(view, me))})`;
  const [counts] = await queryRows<InboxCounts>(
    db,
    sql`select ${countOf('unassigned')} as unassigned, ${countOf('mine')} as mine,
               ${countOf('others')} as others, ${countOf('archived')} as archived`,
  );
  return counts ?? { unassigned: 0, mine: 0, others: 0, archived: 0 };
}
