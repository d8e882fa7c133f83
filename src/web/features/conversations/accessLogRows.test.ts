import { describe, expect, it } from 'vitest';
import type { AccessLogEntry } from '../../api/types';
import { foldRepeats } from './accessLogRows';

const read = (at: string, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at,
  who: 'Olu Okafor (member, Cardiology Nurses)',
  team: 'Cardiology Nurses',
  what: 'Read a conversation',
  why: 'Their team takes part in the conversation',
  subject: 'Tablets',
  ...overrides,
});

describe('foldRepeats: one visit is one row (C4, "Who has seen my record")', () => {
  it('folds the same read by the same person within 15 minutes, newest first, counting them', () => {
    const rows = foldRepeats([
      read('2026-11-26T16:38:00Z'),
      read('2026-11-26T16:35:00Z'),
      read('2026-11-26T16:31:00Z'),
    ]);
    expect(rows).toEqual([
      { ...read('2026-11-26T16:38:00Z'), times: 3, firstAt: '2026-11-26T16:31:00Z' },
    ]);
  });

  it('keeps apart what differs in who, what, why or which conversation, and visits far apart', () => {
    const entries = [
      read('2026-11-26T16:38:00Z'),
      read('2026-11-26T16:37:00Z', { subject: 'Parking' }),
      read('2026-11-26T16:36:00Z', { who: 'Nurse Beta (member, Cardiology Nurses)' }),
      read('2026-11-26T16:35:00Z', { what: 'Looked at a document' }),
      read('2026-11-26T16:34:00Z', { why: 'Emergency access (break-glass)' }),
      read('2026-11-26T16:33:00Z'),
      read('2026-11-26T16:00:00Z'),
    ];
    const rows = foldRepeats(entries);
    expect(rows.map((row) => row.times)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(rows.map((row) => row.at)).toEqual(entries.map((entry) => entry.at));
  });

  it('counts every entry once: nothing is lost by folding', () => {
    const entries = Array.from({ length: 40 }, (_, i) =>
      read(new Date(Date.UTC(2026, 10, 26, 16, 0) - i * 7 * 60_000).toISOString(), {
        subject: i % 3 === 0 ? 'Tablets' : 'Parking',
      }),
    );
    const rows = foldRepeats(entries);
    expect(rows.reduce((sum, row) => sum + row.times, 0)).toBe(entries.length);
  });
});
