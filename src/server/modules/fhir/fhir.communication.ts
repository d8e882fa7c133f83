import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import Type from 'typebox';
import { type Tx, withTransaction } from '../../platform/db/database';
import { IdParam, requestFacts } from '../../platform/http/routes';
import {
  conversationParticipants,
  conversations,
  messages,
} from '../conversations/conversations.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import { attachmentsOf } from '../documents/documents.attachments';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { CountParam, CursorParam, pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import {
  afterKeyset,
  auditRecordSearch,
  cursorKey,
  exactlyOne,
  fhirNotFound,
  idOfReference,
  maySearchRecord,
  pageOf,
  referenceParam,
} from './fhir.search';

/** Where a message's place in its conversation (M6) is said, as a FHIR extension. */
export const MESSAGE_SEQUENCE_EXTENSION =
  'https://carethread.dev/fhir/StructureDefinition/message-sequence';

/** The conversation's record, or null when there is no such conversation. */
export async function conversationOf(tx: Tx, id: string) {
  const [row] = await tx
    .select({ id: conversations.id, patientId: conversations.patientId })
    .from(conversations)
    .where(eq(conversations.id, id));
  return row ?? null;
}

const Reference = Type.Object({ reference: Type.String() });
const Party = Type.Object({ reference: Type.Optional(Type.String()), display: Type.String() });

export const CommunicationResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Communication'),
    id: Type.String(),
    extension: Type.Optional(
      Type.Array(Type.Object({ url: Type.String(), valueInteger: Type.Integer() })),
    ),
    status: Type.Union([
      Type.Literal('in-progress'),
      Type.Literal('completed'),
      Type.Literal('entered-in-error'),
    ]),
    partOf: Type.Optional(Type.Array(Reference)),
    subject: Reference,
    topic: Type.Optional(Type.Object({ text: Type.String() })),
    sent: Type.String(),
    sender: Type.Optional(Party),
    recipient: Type.Optional(Type.Array(Type.Object({ display: Type.String() }))),
    payload: Type.Optional(
      Type.Array(
        Type.Object({
          contentString: Type.Optional(Type.String()),
          contentReference: Type.Optional(
            Type.Object({ reference: Type.String(), display: Type.String() }),
          ),
        }),
      ),
    ),
  },
  { $id: 'FhirCommunication', title: 'Communication' },
);
type CommunicationResource = Type.Static<typeof CommunicationResourceSchema>;
type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;

/** Who wrote: the patient as a reference to their record, anyone else by name (and team). */
function senderOf(message: Pick<MessageRow, 'authorKind' | 'authorLabel' | 'patientId'>) {
  return message.authorKind === 'patient'
    ? { reference: `Patient/${message.patientId}`, display: message.authorLabel }
    : { display: message.authorLabel };
}

/**
 * Thread headers. A conversation is never closed as a whole (archive is each team's, and a
 * new message reopens it: W4, W5), so its header is always `in-progress`; each team's work on
 * it is a Task. Recipients are the teams (with their organisation) and professionals taking
 * part now, by name only; the sender is who wrote its first message, which is who started it.
 */
async function presentThreads(tx: Tx, rows: ConversationRow[]): Promise<CommunicationResource[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const cp = conversationParticipants;
  // Teams with their organisation: a record's conversations may involve other organisations.
  const taking = await tx
    .select({
      conversationId: cp.conversationId,
      team: sql<string | null>`${teams.name} || ', ' || ${organisations.name}`,
      person: professionals.name,
    })
    .from(cp)
    .leftJoin(teams, eq(teams.id, cp.teamId))
    .leftJoin(organisations, eq(organisations.id, teams.organisationId))
    .leftJoin(professionals, eq(professionals.id, cp.professionalId))
    .where(and(inArray(cp.conversationId, ids), isNull(cp.leftAt)));
  const firsts = await tx
    .select()
    .from(messages)
    .where(and(inArray(messages.conversationId, ids), eq(messages.seq, 1)));
  const names = (id: string, key: 'team' | 'person') =>
    taking
      .filter((p) => p.conversationId === id)
      .flatMap((p) => (p[key] === null ? [] : [p[key]]))
      .sort((a, b) => a.localeCompare(b));
  return rows.map((row) => {
    const first = firsts.find((m) => m.conversationId === row.id);
    const recipient = [...names(row.id, 'team'), ...names(row.id, 'person')].map((display) => ({
      display,
    }));
    return {
      resourceType: 'Communication' as const,
      id: row.id,
      status: 'in-progress' as const,
      subject: { reference: `Patient/${row.patientId}` },
      topic: { text: row.subject },
      sent: row.createdAt.toISOString(),
      ...(first ? { sender: senderOf(first) } : {}),
      ...(recipient.length > 0 ? { recipient } : {}),
    };
  });
}

/**
 * Messages, each part of its thread, with its sequence (M6). One sent in error keeps its
 * place and its author but not its text or files (decision 0021). Of the files a message
 * carried only those that can be opened are referenced: one still being checked, refused or
 * removed is not in the record for anyone to read.
 */
async function presentMessages(tx: Tx, rows: MessageRow[]): Promise<CommunicationResource[]> {
  const ids = rows.map((row) => row.id);
  const files = await attachmentsOf(tx, ids);
  return rows.map((row) => {
    const inError = row.enteredInErrorAt !== null;
    const documents = (files.get(row.id) ?? []).filter((file) => file.status === 'available');
    const payload = [
      { contentString: row.body },
      ...documents.map((file) => ({
        contentReference: { reference: `DocumentReference/${file.id}`, display: file.title },
      })),
    ];
    return {
      resourceType: 'Communication' as const,
      id: row.id,
      extension: [{ url: MESSAGE_SEQUENCE_EXTENSION, valueInteger: row.seq }],
      status: inError ? ('entered-in-error' as const) : ('completed' as const),
      partOf: [{ reference: `Communication/${row.conversationId}` }],
      subject: { reference: `Patient/${row.patientId}` },
      sent: row.createdAt.toISOString(),
      sender: senderOf(row),
      ...(inError ? {} : { payload }),
    };
  });
}

/**
 * Communication: a conversation is a thread header, and each of its messages a Communication
 * `partOf` it (DESIGN §5). Read either by id; search a record's headers (`patient`, newest
 * started first) or a thread's messages (`part-of`, in sequence). A system sees what staff
 * with record access see (decision 0022): every conversation of a record its organisation
 * looks after, every message, and no text of a message sent in error.
 */
export const communicationResource: FhirResource = {
  type: 'Communication',
  scope: 'system/Communication.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'The record: its conversations' },
    {
      name: 'part-of',
      type: 'reference',
      documentation: 'Communication/<conversation id>: its messages, in sequence',
    },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/Communication/:id',
      {
        schema: {
          operationId: 'fhirReadCommunication',
          tags: ['fhir'],
          summary: 'A conversation (thread header) or one of its messages',
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 200: CommunicationResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const { id } = request.params;
        const found = await withTransaction(deps.db, async (tx) => {
          const [thread] = await tx.select().from(conversations).where(eq(conversations.id, id));
          const [message] = thread
            ? []
            : await tx.select().from(messages).where(eq(messages.id, id));
          const target = thread ?? message;
          if (!target) return null;
          const allowed = await mayReadRecord(tx, client, target.patientId);
          await auditSystemRead(tx, client, requestFacts(request), deps.clock(), {
            action: 'conversation.read',
            entityType: 'conversation',
            entityId: thread?.id ?? message?.conversationId,
            patientId: target.patientId,
            outcome: allowed ? 'success' : 'denied',
            details: message ? { messageId: message.id, seq: message.seq } : {},
          });
          if (!allowed) return null;
          const [resource] = thread
            ? await presentThreads(tx, [thread])
            : await presentMessages(tx, message ? [message] : []);
          return resource ?? null;
        });
        if (!found) throw fhirNotFound();
        return found;
      },
    );

    app.get(
      '/Communication',
      {
        schema: {
          operationId: 'fhirSearchCommunication',
          tags: ['fhir'],
          summary: "A record's conversations, or a conversation's messages",
          querystring: Type.Object(
            {
              patient: Type.Optional(referenceParam('Patient')),
              'part-of': Type.Optional(referenceParam('Communication')),
              _count: CountParam,
              _cursor: CursorParam,
            },
            { additionalProperties: false },
          ),
          response: {
            200: searchsetSchema(CommunicationResourceSchema, 'Communication'),
            ...outcomeResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const query = request.query;
        exactlyOne('Communication', ['patient', 'part-of'], [query.patient, query['part-of']]);
        const limit = pageSize(query._count);
        const facts = requestFacts(request);
        const self = { path: 'Communication', params: { ...query } };

        if (query.patient !== undefined) {
          const patientId = idOfReference(query.patient);
          const c = conversations;
          const after = afterKeyset(query._cursor, { at: c.createdAt, id: c.id }, 'desc');
          return withTransaction(deps.db, async (tx) => {
            const now = deps.clock();
            const search = { action: 'record.conversations_listed', patientId };
            if (!(await maySearchRecord(tx, client, facts, now, search))) {
              return searchset(base, self, [], null);
            }
            const rows = await tx
              .select()
              .from(c)
              .where(and(eq(c.patientId, patientId), after))
              .orderBy(desc(c.createdAt), desc(c.id))
              .limit(limit + 1);
            const { items, next } = pageOf(rows, limit, (last) => [
              last.createdAt.toISOString(),
              last.id,
            ]);
            await auditRecordSearch(tx, client, facts, now, {
              ...search,
              details: { count: items.length },
            });
            return searchset(base, self, await presentThreads(tx, items), next);
          });
        }

        const conversationId = idOfReference(query['part-of'] ?? '');
        const after = cursorKey(query._cursor, 2, (seq) => /^\d{1,9}$/.test(seq));
        const found = await withTransaction(deps.db, async (tx) => {
          const conversation = await conversationOf(tx, conversationId);
          if (!conversation) return null;
          const allowed = await mayReadRecord(tx, client, conversation.patientId);
          const rows = !allowed
            ? []
            : await tx
                .select()
                .from(messages)
                .where(
                  and(
                    eq(messages.conversationId, conversationId),
                    after ? gt(messages.seq, Number(after[0])) : undefined,
                  ),
                )
                .orderBy(asc(messages.seq))
                .limit(limit + 1);
          const { items, next } = pageOf(rows, limit, (last) => [String(last.seq), last.id]);
          const first = items[0];
          const last = items.at(-1);
          await auditSystemRead(tx, client, facts, deps.clock(), {
            action: 'conversation.read',
            entityType: 'conversation',
            entityId: conversationId,
            patientId: conversation.patientId,
            outcome: allowed ? 'success' : 'denied',
            details: first && last ? { fromSeq: first.seq, toSeq: last.seq } : { count: 0 },
          });
          if (!allowed) return null;
          return searchset(base, self, await presentMessages(tx, items), next);
        });
        // A conversation the organisation may not read is one it cannot name: not found.
        if (!found) throw fhirNotFound();
        return found;
      },
    );
  },
};
