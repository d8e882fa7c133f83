import { describe, expect, test } from 'vitest';
import { formatDuration, formatWhen, londonToIso, readDateTime, toFields } from './appointmentTime';

describe('appointment times in UK time', () => {
  test('a winter appointment reads with its weekday, in GMT', () => {
    expect(formatWhen('2026-12-08T10:30:00Z')).toBe('Tuesday 8 December 2026 at 10:30am');
  });

  test('a summer appointment reads in BST, an hour ahead of UTC', () => {
    expect(formatWhen('2026-07-01T08:00:00Z')).toBe('Wednesday 1 July 2026 at 9am');
    expect(formatWhen('2026-07-01T11:00:00Z')).toBe('Wednesday 1 July 2026 at midday');
    expect(formatWhen('2026-07-01T13:45:00Z')).toBe('Wednesday 1 July 2026 at 2:45pm');
  });

  test('typed UK wall-clock times become the right instants either side of a clock change', () => {
    expect(londonToIso({ year: 2026, month: 12, day: 8, hour: 10, minute: 30 })).toBe(
      '2026-12-08T10:30:00.000Z',
    );
    expect(londonToIso({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 })).toBe(
      '2026-07-01T08:00:00.000Z',
    );
    // Clocks go back at 2am BST on 25 October 2026; 3am that day is GMT.
    expect(londonToIso({ year: 2026, month: 10, day: 25, hour: 3, minute: 0 })).toBe(
      '2026-10-25T03:00:00.000Z',
    );
    expect(londonToIso({ year: 2026, month: 3, day: 29, hour: 9, minute: 0 })).toBe(
      '2026-03-29T08:00:00.000Z',
    );
  });

  test('a change form is prefilled with the UK date and time', () => {
    expect(toFields('2026-07-01T08:05:00Z')).toEqual({
      day: '1',
      month: '7',
      year: '2026',
      time: '09:05',
    });
  });

  test('durations read in words', () => {
    expect(formatDuration(30)).toBe('30 minutes');
    expect(formatDuration(60)).toBe('1 hour');
    expect(formatDuration(90)).toBe('1 hour 30 minutes');
    expect(formatDuration(121)).toBe('2 hours 1 minute');
  });
});

describe('reading the typed date and time', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const fields = { day: '8', month: '12', year: '2026', time: '10:30' };

  test('a real future date and time gives the instant', () => {
    expect(readDateTime(fields, now)).toEqual({ iso: '2026-12-08T10:30:00.000Z', problems: [] });
  });

  test.each([
    [{ day: '', month: '', year: '' }, 'day', 'Enter the date of the appointment'],
    [{ day: '', month: '12', year: '2026' }, 'day', 'Date must include a day'],
    [{ month: 'Dec' }, 'month', 'Date must include a month'],
    [{ year: '26' }, 'year', 'Year must include 4 numbers'],
    [{ day: '31', month: '11' }, 'day', 'Date must be a real date'],
    [{ month: '13' }, 'day', 'Date must be a real date'],
    [{ year: '2025' }, 'day', 'The appointment must be in the future'],
  ])('date %o is refused on the %s field: %s', (change, part, message) => {
    const result = readDateTime({ ...fields, ...change }, now);
    expect(result.iso).toBeNull();
    expect(result.problems).toEqual([{ field: 'date', part, message }]);
  });

  test.each([
    [{ year: '9999' }],
    [{ year: '2062' }], // "2062" typed for "2026"
    [{ day: '25', month: '11', year: '2028' }], // 2 years on, but later in the day than now
  ])('date %o more than 2 years ahead is refused on the year (decision 0016)', (change) => {
    const result = readDateTime({ ...fields, ...change, time: '12:01' }, now);
    expect(result).toEqual({
      iso: null,
      problems: [
        { field: 'date', part: 'year', message: 'The appointment must be within the next 2 years' },
      ],
    });
  });

  test('a start kept as it is, on an appointment being changed, is not judged again', () => {
    // Booked 3 years ahead before the 2-year rule; staff change only its place.
    const fields = { day: '25', month: '11', year: '2029', time: '12:00' };
    expect(readDateTime(fields, now).problems).toHaveLength(1);
    expect(readDateTime(fields, now, '2029-11-25T12:00:00.000Z')).toEqual({
      iso: '2029-11-25T12:00:00.000Z',
      problems: [],
    });
    // A new time is judged as ever.
    expect(readDateTime({ ...fields, time: '12:30' }, now, '2029-11-25T12:00:00.000Z').iso).toBe(
      null,
    );
  });

  test('exactly 2 years ahead is allowed', () => {
    expect(readDateTime({ day: '25', month: '11', year: '2028', time: '12:00' }, now)).toEqual({
      iso: '2028-11-25T12:00:00.000Z',
      problems: [],
    });
  });

  test.each([
    ['', 'Enter the time of the appointment'],
    ['25:00', 'Enter a real time, for example 10:30'],
    ['half ten', 'Enter a real time, for example 10:30'],
  ])('time %j is refused: %s', (time, message) => {
    const result = readDateTime({ ...fields, time }, now);
    expect(result.problems).toEqual([{ field: 'time', message }]);
  });

  test('a time the clocks skip (1:30am as they go forward) is refused, not moved an hour on', () => {
    const result = readDateTime({ day: '28', month: '3', year: '2027', time: '01:30' }, now);
    expect(result).toEqual({
      iso: null,
      problems: [
        {
          field: 'time',
          message:
            'The clocks go forward that night, so there is no 1:30am in the UK. Choose another time, for example 2:30am',
        },
      ],
    });
    // The hour the clocks go back happens twice: it is kept, as the later of the two (GMT).
    expect(readDateTime({ day: '31', month: '10', year: '2027', time: '01:30' }, now).iso).toBe(
      '2027-10-31T01:30:00.000Z',
    );
  });
});
