import { stringify } from 'csv-stringify/sync';

/** A CSV cell value: text, a number, or empty. */
export type CsvValue = string | number | null;

/**
 * Text a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP advises against CSV injection.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Rows as a CSV document (RFC 4180, CRLF line endings), every text cell made inert. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (typeof cell === 'string' ? inertCell(cell) : cell))),
    { record_delimiter: 'windows' },
  );
}
