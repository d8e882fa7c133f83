// Dates typed in the NHS.UK date input: day, month and year boxes, read as a calendar date
// (YYYY-MM-DD) in the UK, whatever the device's own time zone.

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DatePart = keyof DateParts;

/** What is wrong with a typed date, and which box it marks ('all': the date as a whole). */
export interface DateProblem {
  part: DatePart | 'all';
  message: string;
}

export const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const ukDate = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'Europe/London',
});

/** Today's date in the UK (YYYY-MM-DD). */
export function ukToday(now: Date): string {
  const parts = Object.fromEntries(ukDate.formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Where an error summary link for a date goes: the first box the problem marks. */
export function dateProblemHref(id: string, part: DateProblem['part']): string {
  return `${id}-${part === 'all' ? 'day' : part}`;
}

const number = (text: string, digits: RegExp) => (digits.test(text) ? Number(text) : null);

/** A month typed as a number (3, 03) or, as people often do, a name ("March", "mar"). */
function readMonth(text: string): number | null {
  const typed = number(text, /^\d{1,2}$/);
  if (typed !== null) return typed;
  const name = text.toLowerCase();
  if (name.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(name));
  return index === -1 ? null : index + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads an optional date: all three boxes empty is no date. Anything else must be a real
 * date on or after `earliest` (YYYY-MM-DD); the problem names the box at fault, or 'all'.
 */
export function readOptionalDate(
  parts: DateParts,
  rules: { earliest: string; invalid: string; tooEarly: string },
): { date: string | null; problem: DateProblem | null } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { date: null, problem: null };

  const read = {
    day: number(day, /^\d{1,2}$/),
    month: readMonth(month),
    year: number(year, /^\d{4}$/),
  };
  const wrong = (Object.keys(read) as DatePart[]).filter((part) => read[part] === null);
  const [onlyWrong] = wrong;
  if (wrong.length === 1 && onlyWrong) {
    return { date: null, problem: { part: onlyWrong, message: rules.invalid } };
  }
  if (read.day === null || read.month === null || read.year === null) {
    return { date: null, problem: { part: 'all', message: rules.invalid } };
  }
  const check = new Date(Date.UTC(read.year, read.month - 1, read.day));
  if (
    read.month > 12 ||
    check.getUTCFullYear() !== read.year ||
    check.getUTCMonth() !== read.month - 1 ||
    check.getUTCDate() !== read.day
  ) {
    return { date: null, problem: { part: 'all', message: rules.invalid } };
  }
  const date = `${read.year}-${pad(read.month)}-${pad(read.day)}`;
  if (date < rules.earliest) {
    return { date: null, problem: { part: 'all', message: rules.tooEarly } };
  }
  return { date, problem: null };
}
