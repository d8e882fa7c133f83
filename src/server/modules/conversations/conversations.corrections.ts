import { and, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { correctionReason } from '../../platform/http/corrections';
import { conflict, forbidden, notFound } from '../../platform/http/problem';
import { publish } from '../../platform/realtime/events';
import { inTransaction, type Actor, type RequestFacts } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { attachmentsOf } from '../documents/documents.attachments';
import { documents } from '../documents/documents.schema';
import { authorise } from './conversations.access';
import { authorLabel } from './conversations.messages';
import { can, managedTeamsTakingPart } from './conversations.policy';
import type { ConversationDetail } from './conversations.contracts';
import { presentConversation } from './conversations.presenters';
import { messages } from './conversations.schema';

/**
 * Its author, or a manager of a team taking part, says a message was sent in error (the wrong
 * patient, the wrong words, someone else's results): from then on nobody reads its text, and
 * everyone in the conversation sees that a message was removed, when and by whom. The files it carried are taken out of use with it (decision 0020). The
 * text stays in the database for investigation and the reason goes to the audit trail only
 * (C4); its place in the conversation (M6) and the team's workflow do not change. Marking it
 * again changes nothing. Invisible → 404; neither its author nor a manager of a team taking
 * part, or an author no longer able to write there → 403 message.sent_in_error_forbidden; a file it carried still being checked → 409. Files
 * that could be opened go out of use with it; refused or held-back ones keep their status.
 */
export async function markMessageSentInError(
  deps: AppDeps,
  actor: Actor,
  ids: { conversationId: string; messageId: string },
  input: { reason: string },
  request: RequestFacts,
): Promise<ConversationDetail> {
  const author = requireVerifiedActor(actor);
  const reason = correctionReason(
    input.reason,
    'message.reason_required',
    'Say why it was sent in error',
  );
  return inTransaction(deps, author, request, async (tx, audit) => {
    const loaded = await authorise(tx, author, ids.conversationId, 'conversation.read', {
      at: audit.now,
      lock: true,
    });
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.id, ids.messageId), eq(messages.conversationId, ids.conversationId)))
      .for('update');
    if (!row) throw notFound('message.not_found', 'Message not found');
    const byAuthor = row.authorUserId === author.userId;
    const asManager = managedTeamsTakingPart(author, loaded.facts);
    if (asManager.length === 0) {
      if (!byAuthor) {
        throw forbidden(
          'message.sent_in_error_forbidden',
          'Only the person who wrote a message, or a manager of a team taking part, can say it was sent in error.',
        );
      }
      if (!can(author, 'conversation.reply', loaded.facts)) {
        throw forbidden(
          'message.sent_in_error_forbidden',
          'You can no longer write in this conversation, so you cannot change what you wrote.',
        );
      }
    }
    if (!row.enteredInErrorAt) {
      const files = await tx
        .select({ id: documents.id, status: documents.status })
        .from(documents)
        .where(eq(documents.messageId, row.id))
        .for('update');
      if (files.some((f) => f.status === 'uploading' || f.status === 'checking')) {
        throw conflict(
          'message.files_being_checked',
          'Wait until the files sent with it have been checked.',
        );
      }
      const by = byAuthor ? row.authorLabel : authorLabel(author, asManager, author.kind);
      const marked = { enteredInErrorAt: audit.now, enteredInErrorBy: by };
      await tx.update(messages).set(marked).where(eq(messages.id, row.id));
      // Files that could be opened go out of use; refused or held-back ones keep their status.
      const removed = files.filter((f) => f.status === 'available').map((f) => f.id);
      if (removed.length > 0) {
        await tx
          .update(documents)
          .set({ status: 'entered_in_error', ...marked })
          .where(inArray(documents.id, removed));
      }
      await scrubStoredResponses(tx, row.authorUserId, ids, {
        body: '',
        enteredInError: { at: audit.now.toISOString(), by },
        attachments: (await attachmentsOf(tx, [row.id])).get(row.id) ?? [],
      });
      await publish(tx, { type: 'conversation.changed', conversationId: ids.conversationId });
      await recordAudit(tx, audit, {
        action: 'message.entered_in_error',
        entityType: 'message',
        entityId: row.id,
        patientId: loaded.conversation.patientId,
        // Its own key: `reason` is read as a break-glass reason by the patient's access log.
        details: {
          conversationId: ids.conversationId,
          seq: row.seq,
          enteredInErrorReason: reason,
          documents: files.map((f) => ({ id: f.id, statusBefore: f.status })),
        },
      });
    }
    return presentConversation(tx, author, loaded);
  });
}

/**
 * The author's stored answers to sends that carried this message (M5: a retry answers as the
 * first did) get the message as it now is, so a retry cannot bring its text back.
 */
async function scrubStoredResponses(
  tx: Tx,
  authorUserId: string,
  ids: { conversationId: string; messageId: string },
  patch: Record<string, unknown>,
): Promise<void> {
  const json = JSON.stringify(patch);
  await tx.execute(sql`
    update idempotency_keys set response = response || ${json}::jsonb
     where user_id = ${authorUserId} and operation = 'postMessage'
       and response ->> 'id' = ${ids.messageId}`);
  await tx.execute(sql`
    update idempotency_keys
       set response = jsonb_set(response, '{messages}', (
         select coalesce(jsonb_agg(
                  case when m ->> 'id' = ${ids.messageId} then m || ${json}::jsonb else m end
                  order by ordinality), '[]'::jsonb)
           from jsonb_array_elements(response -> 'messages') with ordinality as e(m, ordinality)))
     where user_id = ${authorUserId} and operation = 'createConversation'
       and response ->> 'id' = ${ids.conversationId}`);
}
