import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { conversations, messages } from '../conversations/conversations.schema';
import { professionals, teams } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import { patients } from '../patients/patients.schema';

/** What a document's bytes turned out to be (never what its name or the client claimed). */
export const DOCUMENT_KINDS = ['pdf', 'image', 'zip', 'dicom'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * A document's life: `uploading` while bytes arrive, `checking` while its type, contents and
 * scan are verified, then `available` (downloadable), `rejected` (failed a check; bytes
 * removed) or `quarantined` (the scanner flagged it; kept, never downloadable). A draft —
 * a file chosen for a message not sent yet — may end `withdrawn` instead: its uploader
 * removed it, or it was never sent; its bytes are removed. So may an upload into the record
 * that its uploader cancelled before it finished (`document.upload_cancelled`): it never
 * entered the record. A document in the record that its
 * uploader says was added in error becomes `entered_in_error`: nobody opens it any more, and
 * its bytes are kept for investigation.
 */
export const DOCUMENT_STATUSES = [
  'uploading',
  'checking',
  'available',
  'rejected',
  'quarantined',
  'withdrawn',
  'entered_in_error',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** What the DICOM headers of a zipped imaging study say, shown instead of a preview. */
export interface StudySummary {
  modalities: string[];
  studyDate: string | null;
  studyDescription: string | null;
  seriesCount: number;
  imageCount: number;
}

/** A document in exactly one patient's record, standalone or attached to a message. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The resumable upload (tus) that brought the bytes; unique so a retry finds its document. */
    uploadId: text('upload_id').notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    messageId: uuid('message_id').references(() => messages.id),
    uploadedByUserId: uuid('uploaded_by_user_id')
      .notNull()
      .references(() => users.id),
    uploadedByProfessionalId: uuid('uploaded_by_professional_id').references(
      () => professionals.id,
    ),
    /** The team a professional uploaded for (Medical Records answering a request). */
    uploadedForTeamId: uuid('uploaded_for_team_id').references(() => teams.id),
    /** The uploader's name and role (or team) as shown then. */
    uploaderLabel: text('uploader_label').notNull(),
    title: text('title').notNull(),
    /** The name the file had, made safe for display and for Content-Disposition. */
    fileName: text('file_name').notNull(),
    declaredSizeBytes: bigint('declared_size_bytes', { mode: 'number' }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    kind: text('kind', { enum: DOCUMENT_KINDS }),
    mediaType: text('media_type'),
    sha256: text('sha256'),
    /** Where the storage backend keeps the bytes; null until stored, or after rejection. */
    storageKey: text('storage_key'),
    status: text('status', { enum: DOCUMENT_STATUSES }).notNull(),
    /** A stable code saying why a document was rejected or quarantined. */
    rejectionCode: text('rejection_code'),
    studySummary: jsonb('study_summary').$type<StudySummary>(),
    /**
     * Chosen for a message not sent yet: only its uploader sees it, until a message carries
     * it into the record (then false for good).
     */
    draft: boolean('draft').notNull().default(false),
    /** When, and by whom (name and role or team as shown then), it was marked added in error. */
    enteredInErrorAt: timestamp('entered_in_error_at', { withTimezone: true }),
    enteredInErrorBy: text('entered_in_error_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('documents_upload_id_key').on(t.uploadId),
    index('documents_patient_idx').on(t.patientId, t.createdAt, t.id),
    index('documents_message_idx')
      .on(t.messageId)
      .where(sql`${t.messageId} is not null`),
    index('documents_draft_idx')
      .on(t.createdAt)
      .where(sql`${t.draft}`),
    check(
      'documents_status_check',
      sql`${t.status} in ('uploading', 'checking', 'available', 'rejected', 'quarantined', 'withdrawn', 'entered_in_error')`,
    ),
  ],
);
