import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import Type from 'typebox';
import { type Tx, withTransaction } from '../../platform/db/database';
import { requestFacts } from '../../platform/http/routes';
import {
  conversationParticipants,
  conversations,
  conversationTeamStates,
} from '../conversations/conversations.schema';
import { teams } from '../directory/directory.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { CountParam, CursorParam, pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { conversationOf } from './fhir.communication';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import {
  afterKeyset,
  auditRecordSearch,
  compactUuid,
  exactlyOne,
  fhirNotFound,
  idOfReference,
  maySearchRecord,
  pageOf,
  referenceParam,
  uuidOfCompact,
} from './fhir.search';

/** Since when the patient has been waiting for the team (W5), when they are. */
export const WAITING_SINCE_EXTENSION =
  'https://carethread.dev/fhir/StructureDefinition/waiting-since';

/**
 * A Task's id is its conversation's id and its team's id, each as 32 hex digits without
 * dashes: 64 characters, the most a FHIR id may have. The work row has no id of its own (its
 * key is the pair), and this one is stable, needs no lookup table and reads back to the pair.
 * A team that leaves and is brought back has the same Task again.
 */
export const taskId = (conversationId: string, teamId: string) =>
  `${compactUuid(conversationId)}${compactUuid(teamId)}`;

function pairOf(id: string): { conversationId: string; teamId: string } {
  return { conversationId: uuidOfCompact(id.slice(0, 32)), teamId: uuidOfCompact(id.slice(32)) };
}

const Reference = Type.Object({ reference: Type.String() });

export const TaskResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Task'),
    id: Type.String(),
    extension: Type.Optional(
      Type.Array(Type.Object({ url: Type.String(), valueDateTime: Type.String() })),
    ),
    status: Type.Union([
      Type.Literal('requested'),
      Type.Literal('in-progress'),
      Type.Literal('completed'),
    ]),
    intent: Type.Literal('order'),
    focus: Reference,
    for: Reference,
    authoredOn: Type.String(),
    lastModified: Type.String(),
    owner: Type.Object({ display: Type.String() }),
  },
  { $id: 'FhirTask', title: 'Task' },
);
type TaskResource = Type.Static<typeof TaskResourceSchema>;

const s = conversationTeamStates;
const cp = conversationParticipants;

/**
 * The work of the client's organisation's teams, newest conversation first. Who holds a
 * piece of work is never selected: W2 keeps the assignment to the team's own members, and
 * decision 0022 gives a system what a professional with record access sees, which is not
 * another team's assignments. Nor do the organisation's coordinators, who connect systems,
 * see them. So a Task says whether someone has picked the work up (status) but not who;
 * its owner is the team.
 */
async function tasksOf(
  tx: Tx,
  organisationId: string,
  where: SQL,
  page: { after: SQL | undefined; limit: number },
) {
  const { after, limit } = page;
  return tx
    .select({
      conversationId: s.conversationId,
      teamId: s.teamId,
      patientId: s.patientId,
      teamName: teams.name,
      assigned: sql<boolean>`${s.assigneeProfessionalId} is not null`,
      archived: sql<boolean>`${s.archivedAt} is not null`,
      waitingSince: s.waitingSince,
      // The work row keeps no time of its own last change: the latest we know of.
      lastModified: sql`greatest(${s.lastActivityAt}, ${s.assignedAt}, ${s.archivedAt})`.mapWith(
        s.lastActivityAt,
      ),
      joinedAt: cp.joinedAt,
      createdAt: conversations.createdAt,
    })
    .from(s)
    .innerJoin(teams, and(eq(teams.id, s.teamId), eq(teams.organisationId, organisationId)))
    .innerJoin(conversations, eq(conversations.id, s.conversationId))
    .leftJoin(
      cp,
      and(eq(cp.conversationId, s.conversationId), eq(cp.teamId, s.teamId), isNull(cp.leftAt)),
    )
    .where(and(where, after))
    .orderBy(desc(conversations.createdAt), desc(s.conversationId), desc(s.teamId))
    .limit(limit + 1);
}
type TaskRow = Awaited<ReturnType<typeof tasksOf>>[number];

/** The record of a team's work on a conversation, whichever organisation the team is in. */
async function otherTeamsWork(tx: Tx, where: SQL) {
  const [row] = await tx.select({ patientId: s.patientId }).from(s).where(where);
  return row ?? null;
}

/**
 * requested: open and nobody has picked it up; in-progress: someone in the team has;
 * completed: the team archived it (W4), until a message from outside reopens it (W5).
 * authoredOn is when the team was asked (joined the conversation).
 */
const present = (row: TaskRow): TaskResource => ({
  resourceType: 'Task',
  id: taskId(row.conversationId, row.teamId),
  ...(row.waitingSince
    ? {
        extension: [
          { url: WAITING_SINCE_EXTENSION, valueDateTime: row.waitingSince.toISOString() },
        ],
      }
    : {}),
  status: row.archived ? 'completed' : row.assigned ? 'in-progress' : 'requested',
  intent: 'order',
  focus: { reference: `Communication/${row.conversationId}` },
  for: { reference: `Patient/${row.patientId}` },
  authoredOn: (row.joinedAt ?? row.createdAt).toISOString(),
  lastModified: row.lastModified.toISOString(),
  owner: { display: row.teamName },
});

/** A page of work, and the cursor after it when there is more: `afterKeyset`'s key. */
const pageOfTasks = (rows: TaskRow[], limit: number) =>
  pageOf(rows, limit, (last) => [last.createdAt.toISOString(), last.conversationId, last.teamId]);

/**
 * Task: each participating team's work on a conversation (W1–W5), for the teams of the
 * client's own organisation only (another organisation's work is not theirs), in records it
 * looks after. Read by id; search a record's work (`patient`) or a conversation's (`focus`).
 */
export const taskResource: FhirResource = {
  type: 'Task',
  scope: 'system/Task.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: "The record: its teams' work" },
    {
      name: 'focus',
      type: 'reference',
      documentation: "Communication/<conversation id>: the organisation's teams' work on it",
    },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/Task/:id',
      {
        schema: {
          operationId: 'fhirReadTask',
          tags: ['fhir'],
          summary: "A team's work on a conversation",
          params: Type.Object(
            { id: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
            { additionalProperties: false },
          ),
          response: { 200: TaskResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const { conversationId, teamId } = pairOf(request.params.id);
        const found = await withTransaction(deps.db, async (tx) => {
          const where = and(eq(s.conversationId, conversationId), eq(s.teamId, teamId))!;
          const [row] = await tasksOf(tx, client.organisationId, where, {
            after: undefined,
            limit: 1,
          });
          // Work that exists but is another organisation's team's is not this system's:
          // refused, and audited as such, like any other refused read. No such work: 404 alone.
          const conversation = row ?? (await otherTeamsWork(tx, where));
          if (!conversation) return null;
          const allowed = row !== undefined && (await mayReadRecord(tx, client, row.patientId));
          await auditSystemRead(tx, client, requestFacts(request), deps.clock(), {
            action: 'conversation.read',
            entityType: 'conversation',
            entityId: conversationId,
            patientId: conversation.patientId,
            outcome: allowed ? 'success' : 'denied',
            details: { resource: 'Task' },
          });
          return allowed ? row : null;
        });
        if (!found) throw fhirNotFound();
        return present(found);
      },
    );

    app.get(
      '/Task',
      {
        schema: {
          operationId: 'fhirSearchTask',
          tags: ['fhir'],
          summary: "A record's or a conversation's team work",
          querystring: Type.Object(
            {
              patient: Type.Optional(referenceParam('Patient')),
              focus: Type.Optional(referenceParam('Communication')),
              _count: CountParam,
              _cursor: CursorParam,
            },
            { additionalProperties: false },
          ),
          response: {
            200: searchsetSchema(TaskResourceSchema, 'Task'),
            ...outcomeResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const query = request.query;
        exactlyOne('Task', ['patient', 'focus'], [query.patient, query.focus]);
        const limit = pageSize(query._count);
        const after = afterKeyset(
          query._cursor,
          { at: conversations.createdAt, id: [s.conversationId, s.teamId] },
          'desc',
        );
        const facts = requestFacts(request);
        const self = { path: 'Task', params: { ...query } };
        const found = await withTransaction(deps.db, async (tx) => {
          const now = deps.clock();
          if (query.patient !== undefined) {
            // Listing the work is listing the record's conversations (C4).
            const search = {
              action: 'record.conversations_listed',
              patientId: idOfReference(query.patient),
            };
            if (!(await maySearchRecord(tx, client, facts, now, search))) {
              return searchset(base, self, [], null);
            }
            const rows = await tasksOf(
              tx,
              client.organisationId,
              eq(s.patientId, search.patientId),
              { after, limit },
            );
            const { items, next } = pageOfTasks(rows, limit);
            await auditRecordSearch(tx, client, facts, now, {
              ...search,
              details: { count: items.length, resource: 'Task' },
            });
            return searchset(base, self, items.map(present), next);
          }
          const conversation = await conversationOf(tx, idOfReference(query.focus ?? ''));
          if (!conversation) return null;
          const allowed = await mayReadRecord(tx, client, conversation.patientId);
          await auditSystemRead(tx, client, facts, now, {
            action: 'conversation.read',
            entityType: 'conversation',
            entityId: conversation.id,
            patientId: conversation.patientId,
            outcome: allowed ? 'success' : 'denied',
            details: { resource: 'Task' },
          });
          if (!allowed) return null;
          const rows = await tasksOf(
            tx,
            client.organisationId,
            eq(s.conversationId, conversation.id),
            { after, limit },
          );
          const { items, next } = pageOfTasks(rows, limit);
          return searchset(base, self, items.map(present), next);
        });
        // As for part-of: a conversation the organisation may not read is not found.
        if (!found) throw fhirNotFound();
        return found;
      },
    );
  },
};
