/** A CSV cell value: text, a number, or empty. */
export type CsvValue = string | number | null;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, and never
 * read by a spreadsheet as a formula (text starting with = + - @ or a tab gets a leading
 * apostrophe, as OWASP advises for CSV injection).
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as a CSV document with CRLF line endings. */
export function toCsv(rows: CsvValue[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
