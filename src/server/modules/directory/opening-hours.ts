import { ukParts, ukTimeToInstant } from '../../platform/time/uk-time';
import { type OpeningPeriod, WEEKDAYS, type Weekday } from './directory.schema';

/** Whether a team is open at an instant, and when it next opens if not. */
export interface Availability {
  openNow: boolean;
  /** While open: when the current period ends. */
  closesAt: string | null;
  /** While closed: the start of the next open period within a week, or null if none. */
  nextOpening: { at: string; day: Weekday; time: string } | null;
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
  const parts = ukParts(now);
  const today = { ...parts, weekday: parts.weekday as Weekday };
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
