import { describe, expect, it } from 'vitest';
import type { OpeningPeriod } from './directory.schema';
import { ukTimeToInstant } from '../../platform/time/uk-time';
import { availabilityAt } from './opening-hours';

const weekdays9to5: OpeningPeriod[] = (
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const
).map((day) => ({ day, opens: '09:00', closes: '17:00' }));

const at = (iso: string) => new Date(iso);

describe('opening hours are UK wall-clock times, whatever the season (issue 8)', () => {
  it('in winter (GMT) a team opening at 09:00 opens at 09:00 UTC', () => {
    // Monday 5 January 2026, 08:30 in London (GMT).
    expect(availabilityAt(weekdays9to5, at('2026-01-05T08:30:00Z'))).toEqual({
      openNow: false,
      closesAt: null,
      nextOpening: { at: '2026-01-05T09:00:00.000Z', day: 'monday', time: '09:00' },
    });
  });

  it('in summer (BST) the same team opens at 08:00 UTC, and 08:30 UTC is open', () => {
    // Monday 6 July 2026, 07:30 UTC = 08:30 BST: closed until 09:00 BST.
    expect(availabilityAt(weekdays9to5, at('2026-07-06T07:30:00Z'))?.nextOpening?.at).toBe(
      '2026-07-06T08:00:00.000Z',
    );
    expect(availabilityAt(weekdays9to5, at('2026-07-06T08:30:00Z'))).toEqual({
      openNow: true,
      closesAt: '2026-07-06T16:00:00.000Z',
      nextOpening: null,
    });
  });

  it('over the weekend the clocks go forward, Monday opens at 09:00 BST', () => {
    // Friday 27 March 2026, 18:00 GMT; clocks go forward on Sunday 29 March.
    expect(availabilityAt(weekdays9to5, at('2026-03-27T18:00:00Z'))?.nextOpening).toEqual({
      at: '2026-03-30T08:00:00.000Z',
      day: 'monday',
      time: '09:00',
    });
  });

  it('over the weekend the clocks go back, Monday opens at 09:00 GMT', () => {
    // Friday 23 October 2026, 17:30 BST; clocks go back on Sunday 25 October.
    expect(availabilityAt(weekdays9to5, at('2026-10-23T16:30:00Z'))?.nextOpening).toEqual({
      at: '2026-10-26T09:00:00.000Z',
      day: 'monday',
      time: '09:00',
    });
  });

  it('the day the clocks change, a Sunday opening uses that day’s offset', () => {
    const sunday: OpeningPeriod[] = [{ day: 'sunday', opens: '10:00', closes: '12:00' }];
    // Sunday 29 March 2026 00:30 GMT, before the change at 01:00 UTC: opens 10:00 BST.
    expect(availabilityAt(sunday, at('2026-03-29T00:30:00Z'))?.nextOpening?.at).toBe(
      '2026-03-29T09:00:00.000Z',
    );
    // Sunday 25 October 2026 00:30 UTC (01:30 BST), before going back: opens 10:00 GMT.
    expect(availabilityAt(sunday, at('2026-10-25T00:30:00Z'))?.nextOpening?.at).toBe(
      '2026-10-25T10:00:00.000Z',
    );
  });

  it('the closing minute is closed, and after closing the next day is offered', () => {
    // Tuesday 6 January 2026 17:00 GMT.
    expect(availabilityAt(weekdays9to5, at('2026-01-06T17:00:00Z'))?.nextOpening).toEqual({
      at: '2026-01-07T09:00:00.000Z',
      day: 'wednesday',
      time: '09:00',
    });
  });

  it('a week with one short day wraps round to the same day next week', () => {
    const mondays: OpeningPeriod[] = [{ day: 'monday', opens: '09:00', closes: '10:00' }];
    // Monday 5 January 2026 at 11:00: next Monday.
    expect(availabilityAt(mondays, at('2026-01-05T11:00:00Z'))?.nextOpening?.at).toBe(
      '2026-01-12T09:00:00.000Z',
    );
  });

  it('two periods in one day: closed over lunch, open again in the afternoon', () => {
    const split: OpeningPeriod[] = [
      { day: 'friday', opens: '14:00', closes: '16:00' },
      { day: 'friday', opens: '09:00', closes: '12:30' },
    ];
    expect(availabilityAt(split, at('2026-01-09T13:00:00Z'))?.nextOpening?.time).toBe('14:00');
    expect(availabilityAt(split, at('2026-01-09T10:00:00Z'))?.openNow).toBe(true);
  });

  it('a team that has given no hours has nothing to say', () => {
    expect(availabilityAt([], at('2026-01-05T08:30:00Z'))).toBeNull();
  });

  it('converts UK wall-clock times to instants on both sides of a change', () => {
    expect(ukTimeToInstant({ year: 2026, month: 3, day: 28 }, '12:00').toISOString()).toBe(
      '2026-03-28T12:00:00.000Z',
    );
    expect(ukTimeToInstant({ year: 2026, month: 3, day: 30 }, '12:00').toISOString()).toBe(
      '2026-03-30T11:00:00.000Z',
    );
  });
});
