import Type from 'typebox';
import { IdParam } from '../../platform/http/routes';
import { MAX_FILE_BYTES } from './onboarding.csv';

export const ImportBody = Type.Object(
  {
    /** The file's text as saved from a spreadsheet (UTF-8 CSV, header row first). */
    csv: Type.String({ minLength: 1, maxLength: MAX_FILE_BYTES * 2 }),
  },
  { additionalProperties: false },
);

export const ImportParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);
export const ImportReportParams = Type.Object(
  { organisationId: IdParam, importId: IdParam },
  { additionalProperties: false },
);

const Problem = Type.Object({
  row: Type.Integer(),
  column: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

export const ROW_OUTCOMES = ['created', 'linked', 'already_present'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export const ImportResultSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('patients')]),
  /** imported: every row is in; rejected: the file has problems and nothing was imported. */
  outcome: Type.Union([Type.Literal('imported'), Type.Literal('rejected')]),
  createdAt: Type.String({ format: 'date-time' }),
  counts: Type.Object({
    rows: Type.Integer(),
    created: Type.Integer(),
    linked: Type.Integer(),
    alreadyPresent: Type.Integer(),
    invitations: Type.Integer(),
  }),
  /** What became of each row (imported files only). */
  rows: Type.Array(Type.Object({ row: Type.Integer(), outcome: Type.Enum(ROW_OUTCOMES) })),
  problems: Type.Array(Problem),
  /** Where to download the problems as CSV; null when there are none. */
  errorReportUrl: Type.Union([Type.String(), Type.Null()]),
});
export type ImportResult = Type.Static<typeof ImportResultSchema>;
