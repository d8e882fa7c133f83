import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeCursor, isTimestamp, readCursor } from './cursor';

const refused = { status: 400, code: 'request.invalid_cursor' };

describe('page cursors', () => {
  it('reads what it wrote, and no cursor as the first page', () => {
    const key = ['Cardiology', randomUUID()];
    expect(readCursor(encodeCursor(key), 2)).toEqual(key);
    expect(readCursor(undefined, 2)).toBeNull();
  });

  it('refuses a cursor it did not make: not its encoding, the wrong size, no id last', () => {
    for (const cursor of [
      'later',
      encodeCursor(['Cardiology']),
      encodeCursor(['Cardiology', 'not-an-id']),
      Buffer.from('{"a":1}').toString('base64url'),
    ]) {
      expect(() => readCursor(cursor, 2), cursor).toThrow(expect.objectContaining(refused));
    }
  });

  it('refuses a key its list does not accept', () => {
    const cursor = encodeCursor(['yesterday', randomUUID()]);
    expect(() => readCursor(cursor, 2, ([at]) => isTimestamp(at))).toThrow(
      expect.objectContaining(refused),
    );
  });

  // PostgreSQL text cannot hold U+0000: a key with it reached listTeams' comparison as a 500.
  it('refuses a key holding the NUL character, as a cursor it did not make', () => {
    expect(() => readCursor(encodeCursor(['Card\u0000iology', randomUUID()]), 2)).toThrow(
      expect.objectContaining(refused),
    );
  });
});
