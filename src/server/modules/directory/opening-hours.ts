import { type OpeningPeriod, WEEKDAYS, type Weekday } from './directory.schema';

/** Opening hours are the team's wall-clock times in the UK, whatever the server's zone. */
export const TEAM_TIME_ZONE = 'Europe/London';

/** Whether a team is open at an instant, and when it next opens if not. */
export interface Availability {
  openNow: boolean;
  /** While open: when the current period ends. */
  closesAt: string | null;
  /** While closed: the start of the next open period within a week, or null if none. */
  nextOpening: { at: string; day: Weekday; time: string } | null;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** HH:MM, 24-hour. */
  time: string;
}

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TEAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'long',
  hourCycle: 'h23',
});

function localParts(instant: Date): LocalParts & { second: number } {
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: (parts.weekday ?? '').toLowerCase() as Weekday,
    time: `${parts.hour}:${parts.minute}`,
    second: Number(parts.second),
  };
}

/** Milliseconds the UK clock is ahead of UTC at an instant: 0 in GMT, an hour in BST. */
function offsetAt(instant: Date): number {
  const p = localParts(instant);
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

/** The calendar date `days` after a UK date (calendar arithmetic, no clock involved). */
function addDays(date: { year: number; month: number; day: number }, days: number) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function periodsOn(hours: readonly OpeningPeriod[], day: Weekday): OpeningPeriod[] {
  return hours.filter((p) => p.day === day).sort((a, b) => a.opens.localeCompare(b.opens));
}

/**
 * Open now, or when next? The one place this is worked out: the public team page and the
 * patient's compose page both show what this says. A team with no hours at all has not said
 * when it works, so there is nothing to tell (null).
 */
export function availabilityAt(hours: readonly OpeningPeriod[], now: Date): Availability | null {
  if (hours.length === 0) return null;
  const today = localParts(now);
  const current = periodsOn(hours, today.weekday).find(
    (p) => p.opens <= today.time && today.time < p.closes,
  );
  if (current) {
    return {
      openNow: true,
      closesAt: ukTimeToInstant(today, current.closes).toISOString(),
      nextOpening: null,
    };
  }
  const todayIndex = WEEKDAYS.indexOf(today.weekday);
  for (let offset = 0; offset <= 7; offset += 1) {
    const day = WEEKDAYS[(todayIndex + offset) % 7]!;
    const later = periodsOn(hours, day).find((p) => offset > 0 || p.opens > today.time);
    if (later) {
      const at = ukTimeToInstant(addDays(today, offset), later.opens);
      return {
        openNow: false,
        closesAt: null,
        nextOpening: { at: at.toISOString(), day, time: later.opens },
      };
    }
  }
  return { openNow: false, closesAt: null, nextOpening: null };
}
