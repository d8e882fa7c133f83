import { invalid } from '../../platform/http/problem';
import { ukTimeToInstant } from '../../platform/time/uk-time';

/**
 * The end of the consent: the end of the chosen last day in the UK, which is the midnight
 * starting the next UK day (23:00Z in summer time, 00:00Z in winter). Refused unless that is
 * still ahead, so the last day is today or later in the UK and a consent never starts over.
 */
export function consentEnd(endsOn: string | undefined, now: Date): Date | null {
  if (endsOn === undefined) return null;
  const next = new Date(`${endsOn}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1); // calendar arithmetic: 31 January + 1 is 1 February
  const end = Number.isNaN(next.getTime())
    ? null
    : ukTimeToInstant(
        { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() },
        '00:00',
      );
  if (!end || end.getTime() <= now.getTime()) {
    throw invalid([
      {
        field: 'body/endsOn',
        code: 'carer.end_date_invalid',
        message: 'The end date must be today or later',
      },
    ]);
  }
  return end;
}
