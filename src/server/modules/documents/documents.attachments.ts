import { asc, inArray } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import type { SignedInActor } from '../identity/actor';
import type { Attachment } from './documents.contracts';
import { presentAttachment } from './documents.presenters';
import { documents } from './documents.schema';

const notAttachable = (index: number) =>
  new AppError(
    422,
    'document.not_attachable',
    'Document cannot be attached',
    'Attach only documents you uploaded to this patient’s record that are not attached yet.',
    [
      {
        field: `body/documentIds/${index}`,
        message: 'Not attachable',
        code: 'document.not_attachable',
      },
    ],
  );

/**
 * Attaches documents to a message just written, in the caller's transaction: each must be
 * one the author uploaded into this patient's record (for this conversation, or for none),
 * still checking or available, and not attached yet. Locks them, so one document cannot go
 * with two messages. A draft stops being one: the message carries it into the record. Audited.
 * Access is the caller's, decided in the same transaction: the author may reply in the
 * conversation (or has just started it), which is `document.upload`'s rule for a document going
 * into a conversation — so an uploader who lost the right to write there attaches nothing.
 */
export async function attachDocuments(
  tx: Tx,
  author: SignedInActor,
  target: { patientId: string; conversationId: string; messageId: string },
  documentIds: readonly string[],
  audit: AuditContext,
): Promise<void> {
  if (documentIds.length === 0) return;
  const rows = await tx
    .select()
    .from(documents)
    .where(inArray(documents.id, [...documentIds]))
    .for('update');
  documentIds.forEach((id, index) => {
    const row = rows.find((r) => r.id === id);
    if (
      !row ||
      row.patientId !== target.patientId ||
      row.uploadedByUserId !== author.userId ||
      (row.status !== 'checking' && row.status !== 'available') ||
      row.messageId !== null ||
      (row.conversationId !== null && row.conversationId !== target.conversationId)
    ) {
      throw notAttachable(index);
    }
  });
  await tx
    .update(documents)
    .set({ conversationId: target.conversationId, messageId: target.messageId, draft: false })
    .where(inArray(documents.id, [...documentIds]));
  await recordAudit(tx, audit, {
    action: 'document.attached',
    entityType: 'message',
    entityId: target.messageId,
    patientId: target.patientId,
    details: { conversationId: target.conversationId, documentIds: [...documentIds] },
  });
}

/** What each message shows of its documents, in the order they were uploaded. */
export async function attachmentsOf(
  tx: Tx,
  messageIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const result = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return result;
  const rows = await tx
    .select()
    .from(documents)
    .where(inArray(documents.messageId, [...messageIds]))
    .orderBy(asc(documents.createdAt), asc(documents.id));
  for (const row of rows) {
    if (row.messageId === null) continue;
    result.set(row.messageId, [...(result.get(row.messageId) ?? []), presentAttachment(row)]);
  }
  return result;
}
