// The web app's appointment form imports this file too (features/appointments/appointmentTime.ts),
// so the form and the server judge "too far ahead" alike: it must import nothing.

/**
 * How far ahead an appointment may be booked or moved: 2 years, by the calendar in UTC, from
 * now (the injected clock). Clinics do not book further out, so a later date is a typing slip
 * ("2062" for "2026") or a made-up one (decision 0016).
 */
export const MAX_YEARS_AHEAD = 2;

/** The latest start allowed at `now`: the same date and time, `MAX_YEARS_AHEAD` years on. */
export function latestStart(now: Date): Date {
  const latest = new Date(now.getTime());
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  return latest;
}
