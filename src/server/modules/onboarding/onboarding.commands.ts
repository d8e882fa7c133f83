import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden, notFound } from '../../platform/http/problem';
import { organisations } from '../directory/directory.schema';
import { inTransaction, type RequestFacts, type SignedInActor } from '../identity/actor';
import type { ImportResult, RowOutcome } from './onboarding.contracts';
import { type ColumnSpec, type CsvRow, readCsv } from './onboarding.csv';
import { inFileOrder, wakeOutbox } from './onboarding.people';
import {
  checkPatients,
  PATIENT_COLUMNS,
  validatePatients,
  writePatients,
} from './onboarding.patients';
import { can } from './onboarding.policy';
import { type ImportKind, type ImportProblem, onboardingImports } from './onboarding.schema';
import { checkStaff, STAFF_COLUMNS, validateStaff, writeStaff } from './onboarding.staff';

/** How many problems a response lists; the error report has them all. */
const PROBLEMS_IN_RESPONSE = 100;

type Written = { rows: { row: number; outcome: RowOutcome }[]; invitations: number };

/** One kind of import: its columns, its checks without and with the database, its writes. */
interface Importer {
  columns: readonly ColumnSpec[];
  run(
    tx: Tx,
    audit: AuditContext,
    organisationId: string,
    rows: CsvRow[],
    headings: ReadonlyMap<string, string>,
  ): Promise<{ problems: ImportProblem[]; write: () => Promise<Written> }>;
}

const IMPORTERS: Record<ImportKind, Importer> = {
  staff: {
    columns: STAFF_COLUMNS,
    async run(tx, audit, organisationId, rows, headings) {
      const valid = validateStaff(rows, headings);
      const checked = await checkStaff(tx, organisationId, valid.values, headings);
      return {
        problems: [...valid.problems, ...checked.problems],
        write: () => writeStaff(tx, audit, organisationId, checked.plan),
      };
    },
  },
  patients: {
    columns: PATIENT_COLUMNS,
    async run(tx, audit, organisationId, rows, headings) {
      const valid = validatePatients(rows, headings, audit.now);
      const checked = await checkPatients(tx, organisationId, valid.values, headings);
      return {
        problems: [...valid.problems, ...checked.problems],
        write: () => writePatients(tx, audit, organisationId, checked.plan),
      };
    },
  },
};

/**
 * Imports a coordinator's file of staff or patients, all or nothing: a file with any problem
 * imports nothing and comes back with every problem listed (see docs/decisions). Rows that
 * match what is already there are reported as already present and left unchanged, so the
 * same file can be run again safely. Every upload by a coordinator of the organisation is
 * audited, whatever its fate; one whose rows were all checked is also kept
 * (`onboarding_imports`) with its problems.
 */
export async function importFile(
  deps: AppDeps,
  actor: SignedInActor,
  organisationId: string,
  kind: ImportKind,
  csv: string,
  request: RequestFacts,
): Promise<ImportResult> {
  const fileSha256 = createHash('sha256').update(csv).digest('hex');
  try {
    return await importInTransaction(deps, actor, organisationId, kind, csv, fileSha256, request);
  } catch (error) {
    // A file refused as a whole, or because another organisation took one of its people
    // meanwhile, changes nothing (its transaction rolled back), but the attempt is still
    // audited (C4), in a transaction of its own.
    const raced = addedMeanwhile(error);
    const refusal =
      raced?.code ??
      (error instanceof AppError && FILE_PROBLEMS.has(error.code) ? error.code : null);
    if (refusal) {
      await inTransaction(deps, actor, request, (tx, audit) =>
        recordAudit(tx, audit, {
          action: 'onboarding.import_rejected',
          entityType: 'onboarding_import',
          organisationId,
          outcome: 'failure',
          details: { kind, fileSha256, code: refusal },
        }),
      );
    }
    throw raced ?? error;
  }
}

/**
 * An import locks its organisation's row, so other imports into it and people added to it
 * by hand (whose insert must share that row, through the foreign key) wait or are waited
 * for. But an email or an NHS number is unique across every organisation: another one may
 * add the same person between this import's checks and its writes. Nothing was imported;
 * the same file run again finds them and says what it found.
 */
function addedMeanwhile(error: unknown): AppError | null {
  if (isUniqueViolation(error, 'professionals_email_key'))
    return conflict(
      'professional.email_taken',
      'Someone with an email address in this file was added while it was being imported, so nothing was imported. Upload the file again.',
    );
  if (isUniqueViolation(error, 'patients_nhs_number_unique'))
    return conflict(
      'patient.nhs_number_taken',
      'A patient with an NHS number in this file was registered while it was being imported, so nothing was imported. Upload the file again.',
    );
  // A person's user, made by their first sign-in after this import looked for it. A first
  // sign-in first locks a row this import takes before making users (a professional's
  // organisation, a patient's record), so one waits for the other; should one get past that,
  // nothing is imported, and the same file run again invites the user the sign-in made.
  if (
    isUniqueViolation(error, 'users_professional_id_unique') ||
    isUniqueViolation(error, 'users_patient_id_unique')
  )
    return conflict(
      'onboarding.signed_in_meanwhile',
      'Someone in this file signed in for the first time while it was being imported, so nothing was imported. Upload the file again.',
    );
  return null;
}

const FILE_PROBLEMS = new Set([
  'onboarding.file_too_large',
  'onboarding.file_unreadable',
  'onboarding.file_not_utf8',
  'onboarding.file_empty',
  'onboarding.too_many_rows',
  'onboarding.columns_missing',
]);

function importInTransaction(
  deps: AppDeps,
  actor: SignedInActor,
  organisationId: string,
  kind: ImportKind,
  csv: string,
  fileSha256: string,
  request: RequestFacts,
): Promise<ImportResult> {
  const importer = IMPORTERS[kind];
  return inTransaction(deps, actor, request, async (tx, audit) => {
    // Imports into one organisation run one at a time, so two uploads of one file cannot
    // both find a person missing and both create them.
    const [organisation] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, organisationId))
      .for('update');
    if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
    if (!can(actor, 'onboarding.import', { organisationId })) {
      throw forbidden(
        'onboarding.forbidden',
        'Only a coordinator of this organisation can import its staff and patients.',
      );
    }
    const parsed = readCsv(csv, importer.columns);
    const { problems, write } = await importer.run(
      tx,
      audit,
      organisationId,
      parsed.rows,
      parsed.headings,
    );
    const sorted = inFileOrder(problems);
    const rejected = sorted.length > 0;
    const written: Written = rejected ? { rows: [], invitations: 0 } : await write();
    if (written.invitations > 0) await wakeOutbox(tx);
    const tally = (outcome: RowOutcome) => written.rows.filter((r) => r.outcome === outcome).length;
    const counts = {
      rows: parsed.rows.length,
      created: tally('created'),
      linked: tally('linked'),
      alreadyPresent: tally('already_present'),
      invitations: written.invitations,
    };
    const [row] = await tx
      .insert(onboardingImports)
      .values({
        organisationId,
        kind,
        outcome: rejected ? 'rejected' : 'imported',
        fileSha256,
        rowCount: parsed.rows.length,
        counts,
        problems: sorted,
        createdByUserId: actor.userId,
        createdAt: audit.now,
      })
      .returning({ id: onboardingImports.id });
    if (!row) throw new Error('import insert returned nothing');
    await recordAudit(tx, audit, {
      action: rejected ? 'onboarding.import_rejected' : 'onboarding.imported',
      entityType: 'onboarding_import',
      entityId: row.id,
      organisationId,
      outcome: rejected ? 'failure' : 'success',
      details: { kind, fileSha256, problems: sorted.length, ...counts },
    });
    return {
      id: row.id,
      kind,
      outcome: rejected ? 'rejected' : 'imported',
      createdAt: audit.now.toISOString(),
      counts,
      rows: written.rows,
      problems: sorted.slice(0, PROBLEMS_IN_RESPONSE),
      errorReportUrl: rejected
        ? `/api/v1/organisations/${organisationId}/imports/${row.id}/error-report`
        : null,
    };
  });
}
