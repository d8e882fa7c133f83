import { describe, expect, test } from 'vitest';
import { dateProblemHref, readOptionalDate, ukToday } from './dateParts';

const rules = {
  earliest: '2026-11-26',
  invalid: 'Enter the last day as a date, for example 31 3 2027',
  tooEarly: 'The last day must be today or in the future',
};
const read = (day: string, month: string, year: string) =>
  readOptionalDate({ day, month, year }, rules);

describe('an optional date typed in day, month and year boxes', () => {
  test('all three empty is no date, and no problem', () => {
    expect(read('', ' ', '')).toEqual({ date: null, problem: null });
  });

  test('a real date becomes YYYY-MM-DD, with or without leading zeros', () => {
    expect(read('31', '3', '2027')).toEqual({ date: '2027-03-31', problem: null });
    expect(read('01', '03', '2027')).toEqual({ date: '2027-03-01', problem: null });
    expect(read(' 5 ', ' 12 ', ' 2026 ')).toEqual({ date: '2026-12-05', problem: null });
  });

  test('a month typed as its name or its first letters is understood', () => {
    expect(read('31', 'March', '2027').date).toBe('2027-03-31');
    expect(read('31', 'mar', '2027').date).toBe('2027-03-31');
    expect(read('1', 'Sept', '2027').date).toBe('2027-09-01');
    expect(read('1', 'ma', '2027').problem).toEqual({ part: 'month', message: rules.invalid });
  });

  test('today is allowed; yesterday is not', () => {
    expect(read('26', '11', '2026')).toEqual({ date: '2026-11-26', problem: null });
    expect(read('25', '11', '2026')).toEqual({
      date: null,
      problem: { part: 'all', message: rules.tooEarly },
    });
  });

  test('one box missing or wrong marks that box', () => {
    expect(read('', '3', '2027').problem).toEqual({ part: 'day', message: rules.invalid });
    expect(read('31', '', '2027').problem).toEqual({ part: 'month', message: rules.invalid });
    expect(read('31', '3', '27').problem).toEqual({ part: 'year', message: rules.invalid });
    expect(read('31st', '3', '2027').problem).toEqual({ part: 'day', message: rules.invalid });
  });

  test('the whole date typed in the day box, or a date that does not exist, marks all three', () => {
    expect(read('31 March 2027', '', '').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('2027-03-31', '', '').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('31', '2', '2027').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('29', '2', '2027').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('0', '3', '2027').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('1', '13', '2027').problem).toEqual({ part: 'all', message: rules.invalid });
    expect(read('29', '2', '2028').date).toBe('2028-02-29');
  });

  test('the summary link goes to the box at fault, or the day box for the whole date', () => {
    expect(dateProblemHref('ends-on', 'month')).toBe('ends-on-month');
    expect(dateProblemHref('ends-on', 'all')).toBe('ends-on-day');
  });
});

describe('today in the UK', () => {
  test('is the UK calendar date, not the UTC one, in British Summer Time', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukToday(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});
