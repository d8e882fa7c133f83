import { and, eq, inArray } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { isValidNhsNumber, normaliseNhsNumber } from '../patients/nhs-number';
import { patientRegistrations, patients } from '../patients/patients.schema';
import { ukDate } from '../../platform/time/uk-time';
import type { RowOutcome } from './onboarding.contracts';
import type { ColumnSpec, CsvRow } from './onboarding.csv';
import { ensureUser, isEmail, Problems, queueInvitation } from './onboarding.people';
import type { ImportProblem } from './onboarding.schema';

export const PATIENT_COLUMNS: readonly ColumnSpec[] = [
  { key: 'nhsNumber', heading: 'NHS number', required: true, aliases: ['nhsno'] },
  { key: 'givenName', heading: 'Given name', required: true, aliases: ['firstname', 'forename'] },
  {
    key: 'familyName',
    heading: 'Family name',
    required: true,
    aliases: ['lastname', 'surname'],
  },
  { key: 'dateOfBirth', heading: 'Date of birth', required: true, aliases: ['dob'] },
  // Without an email address a patient is registered but not invited.
  { key: 'email', heading: 'Email', required: false, aliases: ['emailaddress'] },
];

export interface PatientRow {
  row: number;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  email: string | null;
}

/** 1970-01-31 or 31/01/1970, as a real date; the ISO form, or null. */
export function parseDateOfBirth(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : uk
      ? [Number(uk[3]), Number(uk[2]), Number(uk[1])]
      : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  )
    return null;
  return date.toISOString().slice(0, 10);
}

/** Checks each row on its own and against the others; no database needed. */
export function validatePatients(
  rows: CsvRow[],
  headings: ReadonlyMap<string, string>,
  now: Date,
): { values: PatientRow[]; problems: ImportProblem[] } {
  const problems = new Problems(headings);
  const values: PatientRow[] = [];
  const rowByNhsNumber = new Map<string, number>();
  // Today in the UK: just after midnight in summer (BST), UTC is still on yesterday.
  const today = ukDate(now);
  for (const { row, cells } of rows) {
    const before = problems.list.length;
    const nhsNumber = normaliseNhsNumber(cells.nhsNumber ?? '');
    const givenName = cells.givenName ?? '';
    const familyName = cells.familyName ?? '';
    const dateOfBirth = parseDateOfBirth(cells.dateOfBirth ?? '');
    const email = cells.email ?? '';
    if (!nhsNumber)
      problems.add(row, 'nhsNumber', 'onboarding.nhs_number_missing', 'Enter the NHS number');
    else if (!isValidNhsNumber(nhsNumber))
      problems.add(
        row,
        'nhsNumber',
        'onboarding.nhs_number_invalid',
        'NHS number must be 10 digits and pass the NHS number check',
      );
    for (const [key, value, what] of [
      ['givenName', givenName, 'given name'],
      ['familyName', familyName, 'family name'],
    ] as const) {
      if (!value)
        problems.add(
          row,
          key,
          `onboarding.${key === 'givenName' ? 'given' : 'family'}_name_missing`,
          `Enter the ${what}`,
        );
      else if (value.length > 100)
        problems.add(
          row,
          key,
          `onboarding.${key === 'givenName' ? 'given' : 'family'}_name_too_long`,
          `The ${what} must be 100 characters or fewer`,
        );
    }
    if (!dateOfBirth)
      problems.add(
        row,
        'dateOfBirth',
        'onboarding.date_of_birth_invalid',
        'Date of birth must be a real date, like 1970-01-31 or 31/01/1970',
      );
    else if (dateOfBirth > today || dateOfBirth < '1900-01-01')
      problems.add(
        row,
        'dateOfBirth',
        'onboarding.date_of_birth_out_of_range',
        'Date of birth must be in the past, and after 1900',
      );
    if (email && !isEmail(email))
      problems.add(
        row,
        'email',
        'onboarding.email_invalid',
        'Enter an email address in the correct format, like name@example.com, or leave it empty',
      );
    if (problems.list.length > before || !dateOfBirth) continue;
    const earlier = rowByNhsNumber.get(nhsNumber);
    if (earlier !== undefined) {
      problems.add(
        row,
        'nhsNumber',
        'onboarding.duplicate_row',
        `This NHS number is already on row ${earlier}`,
      );
      continue;
    }
    rowByNhsNumber.set(nhsNumber, row);
    values.push({ row, nhsNumber, givenName, familyName, dateOfBirth, email: email || null });
  }
  return { values, problems: problems.list };
}

interface KnownPatient {
  id: string;
  nhsNumber: string;
  familyName: string;
  dateOfBirth: string;
  email: string | null;
}

export interface PatientPlan {
  rows: PatientRow[];
  known: Map<string, KnownPatient>;
  registered: Set<string>;
}

/**
 * Matches rows to patients already on record by NHS number. A known NHS number with another
 * date of birth or family name is a problem to resolve, not a patient to merge into.
 */
export async function checkPatients(
  tx: Tx,
  organisationId: string,
  values: PatientRow[],
  headings: ReadonlyMap<string, string>,
): Promise<{ plan: PatientPlan; problems: ImportProblem[] }> {
  const problems = new Problems(headings);
  const numbers = values.map((v) => v.nhsNumber);
  const rows =
    numbers.length === 0
      ? []
      : await tx
          .select({
            id: patients.id,
            nhsNumber: patients.nhsNumber,
            familyName: patients.familyName,
            dateOfBirth: patients.dateOfBirth,
            email: patients.email,
          })
          .from(patients)
          .where(inArray(patients.nhsNumber, numbers));
  const known = new Map(rows.map((p) => [p.nhsNumber, p]));
  const registrations =
    rows.length === 0
      ? []
      : await tx
          .select({ patientId: patientRegistrations.patientId })
          .from(patientRegistrations)
          .where(
            and(
              eq(patientRegistrations.organisationId, organisationId),
              inArray(
                patientRegistrations.patientId,
                rows.map((p) => p.id),
              ),
            ),
          );
  for (const value of values) {
    const patient = known.get(value.nhsNumber);
    if (
      patient &&
      (patient.dateOfBirth !== value.dateOfBirth ||
        patient.familyName.toLowerCase() !== value.familyName.toLowerCase())
    ) {
      problems.add(
        value.row,
        'nhsNumber',
        'onboarding.patient_details_differ',
        'A patient with this NHS number is on record with a different date of birth or family name. Check the row',
      );
    }
  }
  return {
    plan: { rows: values, known, registered: new Set(registrations.map((r) => r.patientId)) },
    problems: problems.list,
  };
}

/**
 * Registers each patient with the organisation, creating the record when the NHS number is
 * new. A known patient's record is never changed; one already registered here is left alone.
 */
export async function writePatients(
  tx: Tx,
  audit: AuditContext,
  organisationId: string,
  plan: PatientPlan,
): Promise<{ rows: { row: number; outcome: RowOutcome }[]; invitations: number }> {
  const outcomes: { row: number; outcome: RowOutcome }[] = [];
  let invitations = 0;
  for (const value of plan.rows) {
    const patient = plan.known.get(value.nhsNumber);
    if (patient && plan.registered.has(patient.id)) {
      outcomes.push({ row: value.row, outcome: 'already_present' });
      continue;
    }
    let patientId = patient?.id;
    if (!patientId) {
      const [row] = await tx
        .insert(patients)
        .values({
          nhsNumber: value.nhsNumber,
          givenName: value.givenName,
          familyName: value.familyName,
          dateOfBirth: value.dateOfBirth,
          email: value.email,
          // Proven at P9 only when they sign in through NHS login (C5).
          identityLevel: 'P5',
        })
        .returning({ id: patients.id });
      if (!row) throw new Error('patient insert returned nothing');
      patientId = row.id;
    }
    await tx.insert(patientRegistrations).values({ patientId, organisationId });
    await recordAudit(tx, audit, {
      action: patient ? 'patient.registered' : 'patient.created',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      organisationId,
      details: { via: 'import' },
    });
    outcomes.push({ row: value.row, outcome: patient ? 'linked' : 'created' });
    const email = patient ? patient.email : value.email;
    if (email) {
      const userId = await ensureUser(tx, { patientId });
      if (await queueInvitation(tx, 'patient', organisationId, userId, audit.now)) invitations += 1;
    }
  }
  return { rows: outcomes, invitations };
}
