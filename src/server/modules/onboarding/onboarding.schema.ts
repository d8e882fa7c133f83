import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../directory/directory.schema';

export const IMPORT_KINDS = ['staff', 'patients'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_OUTCOMES = ['imported', 'rejected'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** One problem in an uploaded file: where it is and what to do, never the cell's value. */
export interface ImportProblem {
  /** The line of the file, counting the header as line 1, as a spreadsheet shows it. */
  row: number;
  /** The column's heading as written in the file, or '' for the whole row or file. */
  column: string;
  code: string;
  message: string;
}

export interface ImportCounts {
  rows: number;
  created: number;
  /** Staff: a known person added to a team. Patients: a known patient registered here. */
  linked: number;
  alreadyPresent: number;
  invitations: number;
}

/**
 * Every bulk upload a coordinator makes, whatever became of it: what it did, or why nothing
 * was imported. The problems are kept so the error report can be downloaded afterwards; they
 * name rows and columns, never what a cell held.
 */
export const onboardingImports = pgTable(
  'onboarding_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    kind: text('kind', { enum: IMPORT_KINDS }).notNull(),
    outcome: text('outcome', { enum: IMPORT_OUTCOMES }).notNull(),
    /** SHA-256 of the file, so a re-run of the same file can be recognised in the history. */
    fileSha256: text('file_sha256').notNull(),
    rowCount: integer('row_count').notNull(),
    counts: jsonb('counts').$type<ImportCounts>().notNull(),
    problems: jsonb('problems').$type<ImportProblem[]>().notNull(),
    createdByUserId: uuid('created_by_user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('onboarding_imports_organisation_idx').on(t.organisationId, t.createdAt),
    check('onboarding_imports_kind_check', sql`${t.kind} in ('staff', 'patients')`),
    check('onboarding_imports_outcome_check', sql`${t.outcome} in ('imported', 'rejected')`),
  ],
);
