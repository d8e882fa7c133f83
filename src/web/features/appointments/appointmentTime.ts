// Appointment times are shown and entered as UK wall-clock time (Europe/London), whatever
// the device's own time zone, and sent to the server as ISO instants.

import {
  latestStart,
  MAX_YEARS_AHEAD,
} from '../../../server/modules/appointments/appointments.horizon';

const ZONE = 'Europe/London';

const dayWords = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: ZONE,
});

const wallClock = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
  timeZone: ZONE,
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The UK wall-clock reading of an instant. */
export function londonWallClock(date: Date): WallClock {
  const parts = Object.fromEntries(
    wallClock.formatToParts(date).map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

function offsetMs(utcMs: number): number {
  const w = londonWallClock(new Date(utcMs));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - utcMs;
}

/** The instant at which UK clocks show this date and time (ISO, UTC). */
export function londonToIso(w: WallClock): string {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = asUtc - offsetMs(asUtc);
  // Near a clock change the offset at the guess may differ from the offset at the answer.
  const second = asUtc - offsetMs(first);
  return new Date(second).toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "10:30am", "9am", "midday", "midnight" (NHS.UK style). */
export function formatTime(date: Date): string {
  const { hour, minute } = londonWallClock(date);
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const suffix = hour < 12 ? 'am' : 'pm';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${pad(minute)}${suffix}`;
}

/** "Tuesday 8 December 2026". */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayWords.format(date).replace(',', '');
}

/** "Tuesday 8 December 2026 at 10:30am" in UK time. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${formatDay(iso)} at ${formatTime(date)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** 30 → "30 minutes", 90 → "1 hour 30 minutes", 120 → "2 hours". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return plural(rest, 'minute');
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

/** The date and time fields of a form, as typed. */
export interface DateTimeFields {
  day: string;
  month: string;
  year: string;
  time: string;
}

/** An instant's UK date and time as form fields, for a prefilled "change" form. */
export function toFields(iso: string): DateTimeFields {
  const w = londonWallClock(new Date(iso));
  return {
    day: String(w.day),
    month: String(w.month),
    year: String(w.year),
    time: `${pad(w.hour)}:${pad(w.minute)}`,
  };
}

export type DateTimeProblem =
  | { field: 'date'; part: 'day' | 'month' | 'year'; message: string }
  | { field: 'time'; message: string };

/**
 * The box of the date a problem with the start marks, by its code, so that the server's
 * problems (all on `startsAt`, a single instant) land where this form's own checks put the
 * same words: too far ahead is most often a slip in the year ("2062" for "2026"), so the
 * year; anything else about the date as a whole (in the past, say), its first box, the day.
 */
export function startsAtPart(code: string | undefined): 'day' | 'year' {
  return code === 'appointment.too_far_ahead' ? 'year' : 'day';
}

const wholeNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);

/**
 * Reads the typed date and time as UK time. Returns the ISO instant, or the problems in
 * NHS.UK wording (the date first, then the time).
 */
export function readDateTime(
  fields: DateTimeFields,
  now: Date,
  /** The start an appointment being changed has already: kept as it is, it is not judged. */
  keptStart?: string,
): { iso: string; problems: [] } | { iso: null; problems: DateTimeProblem[] } {
  const problems: DateTimeProblem[] = [];
  const day = wholeNumber(fields.day);
  const month = wholeNumber(fields.month);
  const year = wholeNumber(fields.year);
  const blank = [fields.day, fields.month, fields.year].every((p) => p.trim() === '');
  if (blank) {
    problems.push({ field: 'date', part: 'day', message: 'Enter the date of the appointment' });
  } else if (day === null) {
    problems.push({ field: 'date', part: 'day', message: 'Date must include a day' });
  } else if (month === null) {
    problems.push({ field: 'date', part: 'month', message: 'Date must include a month' });
  } else if (year === null || fields.year.trim().length !== 4) {
    problems.push({ field: 'date', part: 'year', message: 'Year must include 4 numbers' });
  } else {
    const check = new Date(Date.UTC(year, month - 1, day));
    if (
      month < 1 ||
      month > 12 ||
      check.getUTCFullYear() !== year ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day
    ) {
      problems.push({ field: 'date', part: 'day', message: 'Date must be a real date' });
    }
  }
  const time = /^(\d{1,2}):(\d{2})$/.exec(fields.time.trim());
  const hour = time ? Number(time[1]) : NaN;
  const minute = time ? Number(time[2]) : NaN;
  if (fields.time.trim() === '') {
    problems.push({ field: 'time', message: 'Enter the time of the appointment' });
  } else if (!time || hour > 23 || minute > 59) {
    problems.push({ field: 'time', message: 'Enter a real time, for example 10:30' });
  }
  if (problems.length > 0 || day === null || month === null || year === null) {
    return { iso: null, problems };
  }
  const iso = londonToIso({ year, month, day, hour, minute });
  // The night the clocks go forward, 1am to 2am never happens: it would quietly become an
  // hour later, so the person is asked to choose.
  const kept = londonWallClock(new Date(iso));
  if (kept.hour !== hour || kept.minute !== minute) {
    return {
      iso: null,
      problems: [
        {
          field: 'time',
          message: `The clocks go forward that night, so there is no ${formatTime(new Date(Date.UTC(2000, 0, 1, hour, minute)))} in the UK. Choose another time, for example ${formatTime(new Date(iso))}`,
        },
      ],
    };
  }
  // As the server does, only a new time is judged: another detail of an appointment booked
  // before a rule existed can still be changed.
  if (keptStart !== undefined && new Date(iso).getTime() === new Date(keptStart).getTime()) {
    return { iso, problems: [] };
  }
  if (new Date(iso).getTime() <= now.getTime()) {
    return {
      iso: null,
      problems: [{ field: 'date', part: 'day', message: 'The appointment must be in the future' }],
    };
  }
  if (new Date(iso).getTime() > latestStart(now).getTime()) {
    // A slip such as 2062 for 2026; the server refuses it too (appointment.too_far_ahead).
    return {
      iso: null,
      problems: [
        {
          field: 'date',
          part: startsAtPart('appointment.too_far_ahead'),
          message: `The appointment must be within the next ${MAX_YEARS_AHEAD} years`,
        },
      ],
    };
  }
  return { iso, problems: [] };
}
