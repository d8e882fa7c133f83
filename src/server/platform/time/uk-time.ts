/**
 * Time as people in the UK read it (Europe/London: GMT in winter, BST in summer), whatever the
 * server's own zone: opening hours, the day a consent ends, today's date for a date of birth.
 */
export const UK_TIME_ZONE = 'Europe/London';

export interface UkParts {
  year: number;
  month: number;
  day: number;
  /** The day's English name in lower case: "monday" … "sunday". */
  weekday: string;
  /** HH:MM, 24-hour. */
  time: string;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: UK_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'long',
  hourCycle: 'h23',
});

export function ukParts(instant: Date): UkParts & { second: number } {
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: (parts.weekday ?? '').toLowerCase(),
    time: `${parts.hour}:${parts.minute}`,
    second: Number(parts.second),
  };
}

/** Milliseconds the UK clock is ahead of UTC at an instant: 0 in GMT, an hour in BST. */
function offsetAt(instant: Date): number {
  const p = ukParts(instant);
  const [hour, minute] = p.time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, hour, minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a UK wall-clock time happens. Around a clock change the offset is taken at the
 * result, so 09:00 the morning after the clocks go forward is 08:00 UTC, not 09:00.
 */
export function ukTimeToInstant(
  date: { year: number; month: number; day: number },
  time: string,
): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = wall - offsetAt(new Date(wall));
  return new Date(wall - offsetAt(new Date(first)));
}

/** The date in the UK of an instant, as YYYY-MM-DD. */
export function ukDate(instant: Date): string {
  const { year, month, day } = ukParts(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}
