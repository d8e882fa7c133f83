import { DAYS, type Availability, type OpeningHours } from '../../api/types';

const DAY_NAMES: Record<OpeningHours['day'], string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

/** 09:00 → 9am, 13:30 → 1:30pm: the NHS.UK way of writing times. */
export function formatTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const suffix = h < 12 ? 'am' : 'pm';
  const hour = h % 12 === 0 ? 12 : h % 12;
  if (h === 12 && m === 0) return 'midday';
  return m === 0 ? `${hour}${suffix}` : `${hour}:${String(m).padStart(2, '0')}${suffix}`;
}

const dateInLondon = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});

/** "9am on Monday 30 March": when a closed team next opens, in UK time. */
export function formatNextOpening(next: NonNullable<Availability['nextOpening']>): string {
  return `${formatTime(next.time)} on ${dateInLondon.format(new Date(next.at))}`;
}

/** One line per day of the week, closed days included. */
export function openingHoursLines(hours: OpeningHours[]): { day: string; times: string }[] {
  return DAYS.map((day) => {
    const periods = hours
      .filter((h) => h.day === day)
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((h) => `${formatTime(h.opens)} to ${formatTime(h.closes)}`);
    return { day: DAY_NAMES[day], times: periods.length ? periods.join(', ') : 'Closed' };
  });
}

export function replyPromise(days: number | null): string | null {
  if (days === null) return null;
  return `We aim to reply within ${days} working ${days === 1 ? 'day' : 'days'}.`;
}
