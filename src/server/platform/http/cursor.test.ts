import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

describe('page cursors', () => {
  it('decodes what it encoded', () => {
    const key = ['Cardiology', randomUUID()];
    expect(decodeCursor(encodeCursor(key), 2)).toEqual(key);
  });

  // PostgreSQL text cannot hold U+0000: a key with it reached listTeams' comparison as a 500.
  it('refuses a key holding the NUL character, as a cursor it did not make', () => {
    expect(decodeCursor(encodeCursor(['Card\u0000iology', randomUUID()]), 2)).toBeNull();
  });
});
