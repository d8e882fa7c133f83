import { ApiError, query, request } from '../../api/client';
import type { DocumentStatus } from '../../api/types';

export type DocumentKind = 'pdf' | 'image' | 'zip' | 'dicom';
export type { DocumentStatus };

/** What the DICOM headers of a zipped imaging study say. */
export interface StudySummary {
  modalities: string[];
  studyDate: string | null;
  studyDescription: string | null;
  seriesCount: number;
  imageCount: number;
}

export interface RecordDocument {
  id: string;
  patientId: string;
  title: string;
  fileName: string;
  kind: DocumentKind | null;
  mediaType: string | null;
  sizeBytes: number | null;
  status: DocumentStatus;
  rejectionCode: string | null;
  uploadedBy: string;
  uploadedAt: string;
  conversationId: string | null;
  messageId: string | null;
  sha256: string | null;
  studySummary: StudySummary | null;
  /** Chosen for a message not sent yet: only its uploader sees it. */
  draft: boolean;
  /** The reader uploaded it. */
  addedByYou: boolean;
  /** Marked as added in error: when and by whom (its name and contents are gone). */
  enteredInError: { at: string; by: string } | null;
}

export const documentKeys = {
  all: ['documents'] as const,
  record: (patientId: string) => ['documents', 'record', patientId] as const,
  one: (documentId: string) => ['documents', 'one', documentId] as const,
};

/** Where the resumable (tus) uploads start; the upload id is the document id. */
export const UPLOAD_ENDPOINT = '/api/v1/uploads';

export const getDocument = (documentId: string) =>
  request<RecordDocument>('GET', `/documents/${encodeURIComponent(documentId)}`);

/**
 * Takes back a file chosen for a message not sent yet, or cancels an unfinished upload
 * (withdrawDocument): its bytes go too.
 */
export const withdrawDocument = (documentId: string) =>
  request<void>('DELETE', `/documents/${encodeURIComponent(documentId)}`);

/** Its uploader says it was added in error (markDocumentEnteredInError). */
export const markEnteredInError = (documentId: string, reason: string) =>
  request<RecordDocument>('POST', `/documents/${encodeURIComponent(documentId)}/entered-in-error`, {
    reason,
  });

/** Whether its uploader may still say it was added in error. */
export const mayMarkEnteredInError = (document: RecordDocument) =>
  document.addedByYou &&
  !document.draft &&
  ['available', 'rejected', 'quarantined'].includes(document.status);

/** Whether its uploader may cancel it: an upload into the record that has not finished. */
export const mayCancelUpload = (document: RecordDocument) =>
  document.addedByYou && !document.draft && document.status === 'uploading';

export const listPatientDocuments = (patientId: string, cursor?: string) =>
  request<{ items: RecordDocument[]; nextCursor: string | null }>(
    'GET',
    `/patients/${encodeURIComponent(patientId)}/documents${query({ cursor })}`,
  );

/** The download address (downloadDocument): sent as an attachment, never shown inline. */
export const contentUrl = (documentId: string) =>
  `/api/v1/documents/${encodeURIComponent(documentId)}/content`;

/** Whether the document is still being received or checked. */
export const isPending = (status: DocumentStatus) =>
  status === 'uploading' || status === 'checking';

/** The longest wait between two looks at a document still being checked. */
const POLL_AT_MOST_EVERY_MS = 30_000;

/**
 * getDocument as a query, asked again while it is received or checked: after `pollMs`, then
 * twice as long each time up to 30 s (every look is an audited read). A lost connection or a
 * server error does not stop it; a refusal (4xx) does.
 */
export const documentQuery = (documentId: string, pollMs: number) => ({
  queryKey: documentKeys.one(documentId),
  queryFn: () => getDocument(documentId),
  retry: false,
  refetchInterval: (query: {
    state: {
      data?: RecordDocument;
      error: Error | null;
      dataUpdateCount: number;
      errorUpdateCount: number;
    };
  }) => {
    const { data, error } = query.state;
    if (data && !isPending(data.status)) return false;
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
    const looks = query.state.dataUpdateCount + query.state.errorUpdateCount;
    return Math.min(pollMs * 2 ** Math.max(0, looks - 1), POLL_AT_MOST_EVERY_MS);
  },
});

/** The bytes of an available document, for previews drawn by the page itself. */
export async function fetchDocumentBytes(documentId: string, signal?: AbortSignal): Promise<Blob> {
  const response = await fetch(contentUrl(documentId), { credentials: 'same-origin', signal });
  if (!response.ok) throw new Error(`Preview failed (${response.status})`);
  return response.blob();
}
