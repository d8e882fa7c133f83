import { AppError } from './problem';

export const invalidCursor = () =>
  new AppError(400, 'request.invalid_cursor', 'Invalid request', 'The page cursor is not valid.');

/** Opaque keyset cursors: the sort key of the last row seen, base64url-encoded. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The key of a page's cursor: null when there is none, and `400 request.invalid_cursor` for a
 * cursor this server did not make (one a list ignored would quietly restart it). Every key
 * has `size` parts and ends with the row's id, a uuid, which breaks ties; `valid` checks the
 * rest, so nothing reaches a query's casts as a 500. No part may hold U+0000: PostgreSQL text
 * cannot, so comparing a column with it fails the statement.
 */
export function readCursor(
  cursor: string | undefined,
  size: number,
  valid: (key: string[]) => boolean = () => true,
): string[] | null {
  if (cursor === undefined) return null;
  const key = decode(cursor, size);
  if (key === null || !valid(key)) throw invalidCursor();
  return key;
}

function decode(cursor: string, size: number): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === size &&
      key.every((k) => typeof k === 'string') &&
      !key.some((k) => k.includes('\u0000')) &&
      UUID.test(String(key[size - 1]))
    ) {
      return key;
    }
  } catch {
    // fall through
  }
  return null;
}

/**
 * A time as `toISOString` writes it, that is one the database can cast: Date.parse takes 30
 * February (as 2 March) and years the database does not (0000, or with six digits and a
 * sign), so a cursor naming one would otherwise reach its timestamp cast as a 500.
 */
export const isTimestamp = (value: string | undefined): value is string =>
  value !== undefined &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
  !value.startsWith('0000') &&
  !Number.isNaN(Date.parse(value)) &&
  new Date(value).toISOString() === value;
