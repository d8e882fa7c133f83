import type { Progress } from '../../api/types';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
const timeOnly = new Intl.DateTimeFormat('en-GB', {
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
const dayKey = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'short',
  timeZone: 'Europe/London',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** "Today at 14:05", "Yesterday at 09:30" or "3 March 2026 at 14:05" (UK time). */
export function formatDateTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = dayKey.format(date);
  if (day === dayKey.format(now)) return `Today at ${timeOnly.format(date)}`;
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  if (day === dayKey.format(yesterday)) return `Yesterday at ${timeOnly.format(date)}`;
  return dateTime.format(date);
}

/** A date of birth (YYYY-MM-DD) as "14 February 1948". */
export function formatDate(isoDate: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dateOnly.format(date);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How long since `iso`, in words: "less than a minute", "3 hours", "2 days". */
export function durationSince(iso: string, now = Date.now()): string {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

export function waitingWords(waitingSince: string | null): string {
  return waitingSince ? `Waiting ${durationSince(waitingSince)}` : 'Not waiting';
}

/** What a patient understands about where their conversation has got to. */
export const PROGRESS_LABELS: Record<Progress, string> = {
  sent: 'Sent',
  read: 'Read by the team',
  replied: 'Replied',
  completed: 'Completed',
};

export const PROGRESS_TAGS: Record<Progress, string> = {
  sent: 'nhsuk-tag--grey',
  read: 'nhsuk-tag--blue',
  replied: 'nhsuk-tag--green',
  completed: 'nhsuk-tag--white',
};

/** "9990000018" → "999 000 0018". */
export function formatNhsNumber(value: string): string {
  const digits = value.replace(/\s/g, '');
  return /^\d{10}$/.test(digits)
    ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`
    : value;
}

export function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
