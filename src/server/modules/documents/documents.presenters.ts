import type { Attachment, DocumentView } from './documents.contracts';
import type { DocumentRow } from './documents.facts';

/** A document as every reader sees it; never its storage key or uploader's ids. */
export function presentDocument(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    patientId: row.patientId,
    title: row.title,
    fileName: row.fileName,
    kind: row.kind,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    status: row.status,
    rejectionCode: row.rejectionCode,
    uploadedBy: row.uploaderLabel,
    uploadedAt: row.createdAt.toISOString(),
    conversationId: row.conversationId,
    messageId: row.messageId,
    sha256: row.sha256,
    studySummary: row.studySummary ?? null,
    draft: row.draft,
  };
}

export function presentAttachment(
  row: Pick<DocumentRow, 'id' | 'title' | 'fileName' | 'kind' | 'status' | 'sizeBytes'>,
): Attachment {
  return {
    id: row.id,
    title: row.title,
    fileName: row.fileName,
    kind: row.kind,
    status: row.status,
    sizeBytes: row.sizeBytes,
  };
}
