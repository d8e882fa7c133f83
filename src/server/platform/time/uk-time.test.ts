import { describe, expect, it } from 'vitest';
import { ukDate, ukParts } from './uk-time';

describe('UK dates, whatever the server’s zone', () => {
  it('just after midnight in summer (BST) it is already the next day in the UK', () => {
    expect(ukDate(new Date('2026-07-14T23:30:00Z'))).toBe('2026-07-15');
    expect(ukDate(new Date('2026-07-14T22:59:59Z'))).toBe('2026-07-14');
  });

  it('in winter (GMT) the UK date is the UTC date', () => {
    expect(ukDate(new Date('2026-01-14T23:30:00Z'))).toBe('2026-01-14');
    expect(ukDate(new Date('2026-01-15T00:00:00Z'))).toBe('2026-01-15');
  });

  it('names the weekday and the wall-clock time', () => {
    expect(ukParts(new Date('2026-03-29T01:30:00Z'))).toMatchObject({
      weekday: 'sunday',
      time: '02:30',
    });
  });
});
