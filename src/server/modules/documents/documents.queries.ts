import type { Readable } from 'node:stream';
import { and, desc, eq, inArray, isNull, lt, ne, notInArray, or, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { conflict, notFound } from '../../platform/http/problem';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import type { DocumentStorage } from '../../platform/storage/storage';
import {
  carerAccessEnded,
  formerCarerWouldSee,
  withCareInForce,
} from '../consent/consent.care-ended';
import { privateConversations } from '../consent/consent.schema';
import { accessBasis } from '../conversations/conversations.policy';
import { participatingConversationIds } from '../conversations/conversations.queries';
import { inTransaction, type RequestFacts, type SignedInActor } from '../identity/actor';
import { documentNotFound, draftDetail } from './documents.commands';
import type { DocumentView } from './documents.contracts';
import {
  documentFactsOf,
  type DocumentRow,
  findDocument,
  loadRecordFacts,
} from './documents.facts';
import { can } from './documents.policy';
import { presentDocument } from './documents.presenters';
import { documents } from './documents.schema';

/**
 * One document, audited (C4); a refused read is audited as `denied` and answers 404, since
 * whether a document exists is itself record content.
 */
export async function getDocument(
  deps: AppDeps,
  actor: SignedInActor,
  documentId: string,
  request: RequestFacts,
): Promise<DocumentView> {
  const row = await readDocument(deps, actor, documentId, request, 'document.read');
  return presentDocument(row, actor.userId);
}

/** The bytes of an available document, streamed from storage; the download is audited. */
export async function openDocumentContent(
  deps: AppDeps,
  storage: DocumentStorage,
  actor: SignedInActor,
  documentId: string,
  request: RequestFacts,
): Promise<{ document: DocumentRow; content: Readable }> {
  const row = await readDocument(deps, actor, documentId, request, 'document.downloaded');
  return { document: row, content: await storage.open(row.storageKey!) };
}

export const downloadable = (row: DocumentRow) =>
  row.status === 'available' && row.storageKey !== null;

async function readDocument(
  deps: AppDeps,
  actor: SignedInActor,
  documentId: string,
  request: RequestFacts,
  action: 'document.read' | 'document.downloaded',
): Promise<DocumentRow> {
  const outcome = await inTransaction(deps, actor, request, async (tx, audit) => {
    const row = await findDocument(tx, documentId);
    if (!row) return null;
    const facts = await documentFactsOf(tx, row, audit.now);
    const allowed = can(actor, 'document.read', facts);
    // Nothing to download (still checked, refused, removed): no download to record.
    if (allowed && action === 'document.downloaded' && !downloadable(row)) {
      throw conflict('document.not_available', 'This document cannot be downloaded.');
    }
    const basis = accessBasis(actor, facts.conversation ?? facts.record);
    await recordAudit(tx, audit, {
      action,
      entityType: 'document',
      entityId: row.id,
      patientId: row.patientId,
      outcome: allowed ? 'success' : 'denied',
      details: { ...(basis ? { basis } : {}), ...draftDetail(row) },
    });
    if (allowed) return row;
    // A former carer is told their care has ended, not "not found" (C1), when the document
    // was in the record before it ended and they would see it had it not.
    const asBefore = await formerCarerWouldSee(tx, actor, row, audit.now, (care) =>
      can(actor, 'document.read', {
        ...facts,
        record: withCareInForce(facts.record, care),
        ...(facts.conversation ? { conversation: withCareInForce(facts.conversation, care) } : {}),
      }),
    );
    return asBefore ? 'care_ended' : null;
  });
  if (outcome === 'care_ended') throw carerAccessEnded();
  if (!outcome) throw documentNotFound();
  return outcome;
}

/**
 * A record's documents, newest first, every status, as far as the reader may see them (drafts
 * are not in the record yet, so never listed, nor are uploads cancelled before they finished):
 * all of them for the patient and staff with record access; for carers with consent, those
 * not in a conversation private from carers; otherwise those of conversations the reader
 * takes part in. Audited (C4).
 */
export async function listPatientDocuments(
  deps: AppDeps,
  actor: SignedInActor,
  patientId: string,
  page: { cursor?: string; limit: number },
  request: RequestFacts,
): Promise<{ items: DocumentView[]; nextCursor: string | null }> {
  const key = readCursor(page.cursor, 2, ([at]) => isTimestamp(at));
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const record = await loadRecordFacts(tx, patientId, audit.now);
    if (!record) throw notFound('patient.not_found', 'Patient not found');
    const basis = accessBasis(actor, record);
    let visible: SQL | undefined;
    if (basis === 'carer_consent') {
      visible = or(
        isNull(documents.conversationId),
        notInArray(
          documents.conversationId,
          tx
            .select({ id: privateConversations.conversationId })
            .from(privateConversations)
            .where(eq(privateConversations.patientId, patientId)),
        ),
      );
    } else if (basis === null) {
      const ids =
        actor.kind === 'professional'
          ? await participatingConversationIds(tx, actor, patientId)
          : [];
      if (ids.length === 0) throw notFound('patient.not_found', 'Patient not found');
      visible = inArray(documents.conversationId, ids);
    }
    const after =
      key === null
        ? undefined
        : or(
            lt(documents.createdAt, new Date(key[0] ?? '')),
            and(eq(documents.createdAt, new Date(key[0] ?? '')), lt(documents.id, key[1] ?? '')),
          );
    const rows = await tx
      .select()
      .from(documents)
      .where(
        and(
          eq(documents.patientId, patientId),
          eq(documents.draft, false),
          // Cancelled before it finished: it never entered the record.
          ne(documents.status, 'withdrawn'),
          visible,
          after,
        ),
      )
      .orderBy(desc(documents.createdAt), desc(documents.id))
      .limit(page.limit + 1);
    const more = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    await recordAudit(tx, audit, {
      action: 'record.documents_listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { count: items.length, basis: basis ?? 'participant' },
    });
    const last = items.at(-1);
    return {
      items: items.map((row) => presentDocument(row, actor.userId)),
      nextCursor: more && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  });
}
