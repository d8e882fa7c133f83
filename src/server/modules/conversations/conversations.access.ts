import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, type Tx, withTransaction } from '../../platform/db/database';
import { AppError, forbidden } from '../../platform/http/problem';
import { formerCarerWouldSee, withCareInForce } from '../consent/consent.care-ended';
import { auditContextFor, type RequestFacts, type SignedInActor } from '../identity/actor';
import { conversationNotFound, loadConversation } from './conversations.facts';
import { can, type ConversationAction } from './conversations.policy';
import { conversations } from './conversations.schema';

/**
 * Loads a conversation and checks an action: invisible → 404, visible but not allowed → 403.
 * `at` is the request's clock: carers' consents, record grants and break-glass are judged
 * against it on every request, never cached (C1, C2).
 */
export async function authorise(
  tx: Tx,
  actor: SignedInActor,
  conversationId: string,
  action: ConversationAction,
  options: { at: Date; lock?: boolean },
) {
  const loaded = await loadConversation(tx, conversationId, options.lock ?? false, options.at);
  if (!can(actor, 'conversation.read', loaded.facts)) throw conversationNotFound();
  if (!can(actor, action, loaded.facts)) {
    throw forbidden(
      `conversation.${action.split('.')[1]}_forbidden`,
      'You cannot do this in this conversation.',
    );
  }
  return loaded;
}

/**
 * A refused attempt to open a conversation, kept in its patient's audit chain as a `denied`
 * read (C4) — written after the refused transaction has rolled back, so it is its own. A
 * conversation that does not exist has no patient, and nothing is written. The patient's
 * "Who has seen my record" lists only reads that succeeded.
 */
export async function auditRefusedRead(
  db: Database,
  actor: SignedInActor,
  conversationId: string,
  request: RequestFacts,
  at: Date,
): Promise<void> {
  await withTransaction(db, async (tx) => {
    const [row] = await tx
      .select({ patientId: conversations.patientId })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    if (!row) return;
    await recordAudit(tx, auditContextFor(actor, request, at), {
      action: 'conversation.read',
      entityType: 'conversation',
      entityId: conversationId,
      patientId: row.patientId,
      outcome: 'denied',
      details: {},
    });
  });
}

/** Whether an error is the refusal a conversation's reader gets when they may not see it. */
export const isConversationNotFound = (error: unknown) =>
  error instanceof AppError && error.code === 'conversation.not_found';

/**
 * Whether a refused reader is a former carer of the conversation's patient who would see it
 * had their care not ended: it was started before then and is not private from carers (C1).
 * Anyone else, and a conversation that does not exist, gets plain "not found".
 */
export async function careEndedFor(
  db: Database,
  actor: SignedInActor,
  conversationId: string,
  at: Date,
): Promise<boolean> {
  if (actor.kind !== 'patient') return false;
  const [row] = await db
    .select({ patientId: conversations.patientId, createdAt: conversations.createdAt })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!row) return false;
  return formerCarerWouldSee(db, actor, row, at, async (care) => {
    const { facts } = await loadConversation(db, conversationId, false, at);
    return can(actor, 'conversation.read', withCareInForce(facts, care));
  });
}
