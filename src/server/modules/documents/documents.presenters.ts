import type { Attachment, DocumentView } from './documents.contracts';
import type { DocumentRow } from './documents.facts';

/** What is left to show of a document marked as added in error: its name may itself mislead. */
export const REMOVED_TITLE = 'Removed: added in error';

/**
 * A document as a reader sees it; never its storage key or uploader's ids. One marked as
 * added in error shows only that, when and by whom: not its name, type, size or contents.
 */
export function presentDocument(row: DocumentRow, viewerUserId: string): DocumentView {
  const removed = row.status === 'entered_in_error';
  return {
    id: row.id,
    patientId: row.patientId,
    title: removed ? REMOVED_TITLE : row.title,
    fileName: removed ? REMOVED_TITLE : row.fileName,
    kind: removed ? null : row.kind,
    mediaType: removed ? null : row.mediaType,
    sizeBytes: removed ? null : row.sizeBytes,
    status: row.status,
    rejectionCode: row.rejectionCode,
    uploadedBy: row.uploaderLabel,
    uploadedAt: row.createdAt.toISOString(),
    conversationId: row.conversationId,
    messageId: row.messageId,
    sha256: removed ? null : row.sha256,
    studySummary: removed ? null : (row.studySummary ?? null),
    draft: row.draft,
    addedByYou: row.uploadedByUserId === viewerUserId,
    enteredInError:
      removed && row.enteredInErrorAt
        ? { at: row.enteredInErrorAt.toISOString(), by: row.enteredInErrorBy ?? '' }
        : null,
  };
}

export function presentAttachment(
  row: Pick<DocumentRow, 'id' | 'title' | 'fileName' | 'kind' | 'status' | 'sizeBytes'>,
): Attachment {
  const removed = row.status === 'entered_in_error';
  return {
    id: row.id,
    title: removed ? REMOVED_TITLE : row.title,
    fileName: removed ? REMOVED_TITLE : row.fileName,
    kind: removed ? null : row.kind,
    status: row.status,
    sizeBytes: removed ? null : row.sizeBytes,
  };
}
