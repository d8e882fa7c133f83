import { query, request } from '../../api/client';

export type DocumentKind = 'pdf' | 'image' | 'zip' | 'dicom';
export type DocumentStatus =
  'uploading' | 'checking' | 'available' | 'rejected' | 'quarantined' | 'withdrawn';

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
}

/** A file attached to a message, as the conversation presents it. */
export interface Attachment {
  id: string;
  title: string;
  fileName: string;
  kind: DocumentKind | null;
  status: DocumentStatus;
  sizeBytes: number | null;
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

/** Takes back a file chosen for a message not sent yet (withdrawDocument): its bytes go too. */
export const withdrawDocument = (documentId: string) =>
  request<void>('DELETE', `/documents/${encodeURIComponent(documentId)}`);

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

/** The bytes of an available document, for previews drawn by the page itself. */
export async function fetchDocumentBytes(documentId: string, signal?: AbortSignal): Promise<Blob> {
  const response = await fetch(contentUrl(documentId), { credentials: 'same-origin', signal });
  if (!response.ok) throw new Error(`Preview failed (${response.status})`);
  return response.blob();
}
