import Type from 'typebox';
import { IdParam, PageQuery } from '../../platform/http/routes';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES } from './documents.schema';

/** Why a document was not accepted: stable codes the web explains in plain words. */
export const REJECTION_CODES = [
  'document.type_not_allowed',
  'document.type_mismatch',
  'document.too_large',
  'document.zip_invalid',
  'document.zip_too_many_entries',
  'document.zip_too_large_uncompressed',
  'document.zip_ratio_exceeded',
  'document.zip_unsafe_path',
  'document.zip_symlink',
  'document.zip_nested_too_deep',
  'document.infected',
  'document.upload_expired',
  'document.upload_refused',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/**
 * Why a document was withdrawn (its `rejectionCode`): its uploader removed a draft, a draft was
 * never sent, or its uploader cancelled an upload into the record before it finished.
 */
export const WITHDRAWAL_CODES = [
  'document.withdrawn',
  'document.draft_expired',
  'document.upload_cancelled',
] as const;
export type WithdrawalCode = (typeof WITHDRAWAL_CODES)[number];

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const StudySummarySchema = Type.Object({
  modalities: Type.Array(Type.String()),
  studyDate: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  studyDescription: Nullable(Type.String()),
  seriesCount: Type.Integer(),
  imageCount: Type.Integer(),
});

export const DocumentSchema = Type.Object(
  {
    id: Type.String(),
    patientId: Type.String(),
    title: Type.String(),
    fileName: Type.String(),
    kind: Nullable(Type.Enum(DOCUMENT_KINDS)),
    mediaType: Nullable(Type.String()),
    sizeBytes: Nullable(Type.Integer()),
    status: Type.Enum(DOCUMENT_STATUSES),
    rejectionCode: Nullable(Type.String()),
    uploadedBy: Type.String({ description: 'The uploader’s name and role or team' }),
    uploadedAt: Type.String({ format: 'date-time' }),
    conversationId: Nullable(Type.String()),
    messageId: Nullable(Type.String()),
    sha256: Nullable(Type.String()),
    studySummary: Nullable(StudySummarySchema),
    draft: Type.Boolean({
      description:
        'Chosen for a message not sent yet: only its uploader sees it until a message carries it',
    }),
    addedByYou: Type.Boolean({ description: 'The reader uploaded it' }),
    enteredInError: Nullable(
      Type.Object(
        {
          at: Type.String({ format: 'date-time' }),
          by: Type.String({ description: 'Who said so: name and role or team as shown then' }),
        },
        { description: 'Marked as added in error: its name, type, size and contents are gone' },
      ),
    ),
  },
  { $id: 'Document', title: 'Document' },
);
export type DocumentView = Type.Static<typeof DocumentSchema>;

export const DocumentPageSchema = Type.Object({
  items: Type.Array(Type.Ref('Document')),
  nextCursor: Nullable(Type.String()),
});

/** What a message shows of each document attached to it. */
export const AttachmentSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  fileName: Type.String(),
  kind: Nullable(Type.Enum(DOCUMENT_KINDS)),
  status: Type.Enum(DOCUMENT_STATUSES),
  sizeBytes: Nullable(Type.Integer()),
});
export type Attachment = Type.Static<typeof AttachmentSchema>;

export const DocumentParams = Type.Object({ documentId: IdParam }, { additionalProperties: false });
export const PatientDocumentsParams = Type.Object(
  { patientId: IdParam },
  { additionalProperties: false },
);
export const PatientDocumentsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

/** At most this many documents go with one message. */
export const MAX_ATTACHMENTS = 10;
export const DocumentIds = Type.Array(IdParam, { maxItems: MAX_ATTACHMENTS, uniqueItems: true });

/**
 * The tus creation request's headers, for the OpenAPI document. All optional to the
 * validator: the handler checks them itself, so that refusals carry the documents' own codes
 * (document.invalid_metadata, document.empty, document.too_large) and tus's (412 without
 * Tus-Resumable).
 */
export const UploadCreationHeaders = Type.Object({
  'tus-resumable': Type.Optional(Type.String({ description: 'Required: 1.0.0' })),
  'upload-length': Type.Optional(
    Type.String({
      description:
        'Required: the file’s size in bytes; 0 → 400 document.empty; above ' +
        'DOCUMENT_MAX_BYTES → 413 document.too_large',
    }),
  ),
  'upload-metadata': Type.Optional(
    Type.String({
      description:
        'Required: tus metadata, comma-separated `key base64(value)` pairs: patientId ' +
        '(required, uuid), filename (required), title, conversationId, teamId (staff: the ' +
        'team they upload for), purpose (`record`, the default: into the record at once; ' +
        '`message`: a draft only the uploader sees until a message carries it, withdrawn ' +
        'with withdrawDocument or after 7 days unsent)',
    }),
  ),
  'x-csrf-token': Type.Optional(Type.String({ description: 'Required: from getSession' })),
});
