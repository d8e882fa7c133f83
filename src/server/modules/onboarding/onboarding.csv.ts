import { CsvError, parse } from 'csv-parse/sync';
import { toCsv } from '../../platform/http/csv';
import { AppError } from '../../platform/http/problem';
import type { ImportProblem } from './onboarding.schema';

/** The largest file accepted: a thousand rows of staff or patients fit many times over. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Rows per file, not counting the header. Bigger lists go in several files. */
export const MAX_ROWS = 1000;

/** One data row: its line as a spreadsheet numbers it (header = 1) and cells by column key. */
export interface CsvRow {
  row: number;
  cells: Record<string, string>;
}

export interface ColumnSpec {
  key: string;
  /** The heading as the template writes it, used in messages and the error report. */
  heading: string;
  required: boolean;
  /** Other headings accepted for this column, normalised (see `normaliseHeading`). */
  aliases?: string[];
}

const fileProblem = (status: number, code: string, detail: string) =>
  new AppError(status, code, 'The file cannot be imported', detail);

/** "Job title", "job_title" and "JobTitle" are one heading. */
export function normaliseHeading(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Parses an uploaded file into rows keyed by column. Problems with the file as a whole
 * (too big, not CSV, headings missing) are errors with their own codes; problems in a row
 * are the caller's to find.
 */
export function readCsv(
  text: string,
  columns: readonly ColumnSpec[],
): { rows: CsvRow[]; headings: Map<string, string> } {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) {
    throw fileProblem(413, 'onboarding.file_too_large', 'The file must be 1 MB or smaller.');
  }
  const unreadable = () =>
    fileProblem(
      400,
      'onboarding.file_unreadable',
      'The file could not be read as CSV. Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” or “CSV (comma delimited)” and try again.',
    );
  // No text file has NUL characters: a file saved as UTF-16 (“Unicode text”) read as UTF-8 is
  // full of them, and the database cannot store them.
  if (text.includes('\u0000')) throw unreadable();
  // U+FFFD is what a decoder leaves for bytes that were not UTF-8 (a file saved as Windows
  // “ANSI”): imported, “Siân Müller” would be kept as “Si�n M�ller”. No name holds it.
  if (text.includes('\uFFFD')) {
    throw fileProblem(
      400,
      'onboarding.file_not_utf8',
      'Some letters in the file could not be read, so names with accents (like Siân or Zoë) would be spoiled. Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and try again.',
    );
  }
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // One form for each accented letter (a Mac may write “â” as “a” and a combining mark), so
    // a name compares equal to the same name typed anywhere else.
    parsed = parse(text.normalize('NFC'), {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      // Reading stops just past the limit, so an enormous file costs no more than that.
      to_line: MAX_ROWS + 50,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) throw unreadable();
    throw error;
  }
  const records = parsed.filter((p) => p.record.some((cell) => cell !== ''));
  const header = records[0]?.record;
  const dataRecords = records.slice(1);
  if (!header || dataRecords.length === 0) {
    throw fileProblem(400, 'onboarding.file_empty', 'The file has no rows to import.');
  }
  if (dataRecords.length > MAX_ROWS) {
    throw fileProblem(
      413,
      'onboarding.too_many_rows',
      `The file must have ${MAX_ROWS} rows or fewer. Split it into smaller files.`,
    );
  }

  const byHeading = new Map<string, number>();
  header.forEach((heading, i) => byHeading.set(normaliseHeading(heading), i));
  const index = new Map<string, number>();
  const headings = new Map<string, string>();
  const missing: string[] = [];
  for (const column of columns) {
    const names = [column.heading, ...(column.aliases ?? [])].map(normaliseHeading);
    const at = names.map((n) => byHeading.get(n)).find((i) => i !== undefined);
    if (at === undefined) {
      if (column.required) missing.push(column.heading);
      continue;
    }
    index.set(column.key, at);
    headings.set(column.key, header[at] ?? column.heading);
  }
  if (missing.length > 0) {
    throw new AppError(
      400,
      'onboarding.columns_missing',
      'The file cannot be imported',
      `The first row must name every column. Missing: ${missing.join(', ')}.`,
    );
  }

  // The line a row ends on is the row a spreadsheet shows it in (header = 1).
  const rows = dataRecords.map(({ record, info }): CsvRow => {
    const cells: Record<string, string> = {};
    for (const [key, i] of index) cells[key] = record[i] ?? '';
    return { row: info.lines, cells };
  });
  return { rows, headings };
}

/** The downloadable error report: row, column and what to do, one line per problem. */
export function errorReportCsv(problems: readonly ImportProblem[]): string {
  return toCsv([
    ['Row', 'Column', 'Problem'],
    ...problems.map((p) => [p.row, p.column, p.message]),
  ]);
}
