import { MAX_OPENING_PERIODS } from '../../../server/modules/directory/opening-hours.limit';
import { DAYS, type Day, type OpeningHours, type Team, type TeamInput } from '../../api/types';
import type { SummaryError } from '../../components/ErrorSummary';

export interface DayForm {
  closed: boolean;
  opens: string;
  closes: string;
  /** The day's periods as saved, when there are several (a break at lunch): one field pair cannot show them. */
  periods?: string;
}

export interface TeamFormState {
  name: string;
  slug: string;
  description: string;
  contactable: 'yes' | 'no' | null;
  phone: string;
  /** Working days within which the team aims to reply; empty says nothing. */
  replyDays: string;
  hours: Record<Day, DayForm>;
  active: 'yes' | 'no';
}

export const DAY_LABELS: Record<Day, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PHONE = /^\+?[0-9][0-9 ()-]*[0-9]$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Accepts 9:00, 09.00, 0900 or 9 and gives the API's HH:MM; anything else is returned as typed. */
export function normaliseTime(value: string): string {
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(value.trim());
  if (!match) return value.trim();
  return `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? '00'}`;
}

/**
 * A day's periods in order, with overlapping ones joined. Hours saved through the API before
 * overlaps were refused (`team.opening_hours_overlap`) may overlap: joined, they open the team
 * at exactly the same times, and saving the team again sends hours the server accepts.
 */
function periodsOn(team: Team, day: Day): OpeningHours[] {
  const sorted = team.openingHours
    .filter((h) => h.day === day)
    .sort((a, b) => a.opens.localeCompare(b.opens));
  const joined: OpeningHours[] = [];
  for (const { opens, closes } of sorted) {
    const last = joined[joined.length - 1];
    if (last && opens < last.closes) {
      if (closes > last.closes) last.closes = closes;
    } else {
      joined.push({ day, opens, closes });
    }
  }
  return joined;
}

const periodsText = (periods: OpeningHours[]) =>
  periods.map((h) => `${h.opens} to ${h.closes}`).join(', ');

function hoursFrom(team: Team | null): Record<Day, DayForm> {
  const hours = {} as Record<Day, DayForm>;
  for (const day of DAYS) {
    const weekday = day !== 'saturday' && day !== 'sunday';
    if (team) {
      const periods = periodsOn(team, day);
      const first = periods[0];
      const last = periods[periods.length - 1];
      hours[day] =
        first && last
          ? {
              closed: false,
              opens: first.opens,
              closes: last.closes,
              ...(periods.length > 1 ? { periods: periodsText(periods) } : {}),
            }
          : { closed: true, opens: '09:00', closes: '17:00' };
    } else {
      hours[day] = { closed: !weekday, opens: '09:00', closes: '17:00' };
    }
  }
  return hours;
}

export function emptyTeamForm(): TeamFormState {
  return {
    name: '',
    slug: '',
    description: '',
    contactable: null,
    phone: '',
    replyDays: '',
    hours: hoursFrom(null),
    active: 'yes',
  };
}

export function teamToForm(team: Team): TeamFormState {
  return {
    name: team.name,
    slug: team.slug,
    description: team.description,
    contactable: team.contactable ? 'yes' : 'no',
    phone: team.phone ?? '',
    replyDays: team.replyWithinWorkingDays === null ? '' : String(team.replyWithinWorkingDays),
    hours: hoursFrom(team),
    active: team.active ? 'yes' : 'no',
  };
}

/**
 * Letters with no decomposition under NFD, so no accent to strip: without this "Straße"
 * would become "stra-e". Lower case only: slugify lowers the name first (ẞ lowers to ß).
 */
const SPELT_OUT: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Suggests a slug from a team name: "Cardiology Nurses" → "cardiology-nurses". Accented
 * letters keep their letter ("Tŷ Gwyn" → "ty-gwyn"), rather than breaking the word.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßøæœłđðþı]/g, (letter) => SPELT_OUT[letter] ?? letter)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function validateTeamForm(form: TeamFormState, withSlug: boolean): SummaryError[] {
  const errors: SummaryError[] = [];
  if (!form.name.trim()) errors.push({ href: 'name', message: 'Enter the team name' });
  else if (form.name.trim().length > 120) {
    errors.push({ href: 'name', message: 'Team name must be 120 characters or fewer' });
  }
  if (withSlug) {
    const slug = form.slug.trim();
    if (!slug) errors.push({ href: 'slug', message: 'Enter a short name' });
    else if (slug.length < 2 || slug.length > 60) {
      errors.push({ href: 'slug', message: 'Short name must be between 2 and 60 characters' });
    } else if (!SLUG.test(slug)) {
      errors.push({
        href: 'slug',
        message: 'Short name must only include lower case letters, numbers and hyphens',
      });
    }
  }
  if (form.contactable === null) {
    errors.push({
      href: 'contactable',
      message: 'Select yes if patients can message this team directly',
    });
  }
  if (form.description.trim().length > 2000) {
    errors.push({ href: 'description', message: 'Description must be 2000 characters or fewer' });
  }
  const phone = form.phone.trim();
  if (phone && (phone.length < 3 || phone.length > 30 || !PHONE.test(phone))) {
    errors.push({ href: 'phone', message: 'Enter a phone number, like 020 7946 0000' });
  }
  const replyDays = form.replyDays.trim();
  if (replyDays && !/^([1-9]|1[0-9]|20)$/.test(replyDays)) {
    errors.push({
      href: 'replyDays',
      message: 'Expected reply time must be a whole number of working days, from 1 to 20',
    });
  }
  for (const day of DAYS) {
    const entry = form.hours[day];
    if (entry.closed) continue;
    const hours = { opens: normaliseTime(entry.opens), closes: normaliseTime(entry.closes) };
    const label = DAY_LABELS[day];
    if (!TIME.test(hours.opens)) {
      errors.push({ href: `${day}-opens`, message: `Enter the time ${label} opens, like 09:00` });
    } else if (!TIME.test(hours.closes)) {
      errors.push({ href: `${day}-closes`, message: `Enter the time ${label} closes, like 17:00` });
    } else if (hours.closes <= hours.opens) {
      errors.push({
        href: `${day}-closes`,
        message: `The closing time on ${label} must be after the opening time`,
      });
    }
  }
  return errors;
}

export function formToInput(form: TeamFormState): TeamInput {
  return {
    name: form.name.trim(),
    slug: form.slug.trim(),
    description: form.description.trim(),
    contactable: form.contactable === 'yes',
    phone: form.phone.trim() || null,
    replyWithinWorkingDays: form.replyDays.trim() ? Number(form.replyDays.trim()) : null,
    openingHours: DAYS.filter((day) => !form.hours[day].closed).map((day) => ({
      day,
      opens: normaliseTime(form.hours[day].opens),
      closes: normaliseTime(form.hours[day].closes),
    })),
  };
}

/**
 * The opening hours an edit saves. The form holds one period a day, so a day the coordinator
 * left as it was keeps the team's own periods (open 09:00 to 12:30 and 13:30 to 17:00, say)
 * rather than losing all but one, with any that overlap joined; a day they changed is saved
 * as the form has it.
 */
export function openingHoursToSave(team: Team, form: TeamFormState): OpeningHours[] {
  const before = hoursFrom(team);
  const entered = formToInput(form).openingHours;
  return DAYS.flatMap((day) => {
    const now = form.hours[day];
    const was = before[day];
    const unchanged =
      now.closed === was.closed &&
      (now.closed ||
        (normaliseTime(now.opens) === was.opens && normaliseTime(now.closes) === was.closes));
    return unchanged ? periodsOn(team, day) : entered.filter((h) => h.day === day);
  });
}

export const TOO_MANY_PERIODS = `A team can have at most ${String(MAX_OPENING_PERIODS)} opening periods in a week. Remove a period or close a day`;

/**
 * The day to link a "too many periods" problem to: the first day open in the hours sent that
 * the team did not open before. The form holds one period a day, so opening a closed day is
 * the only change that adds periods, and closing it again is the simplest way back. Failing
 * that (hours saved before there was a limit), the day with the most periods.
 */
function dayThatAddedPeriods(saved: readonly OpeningHours[], sent: readonly OpeningHours[]): Day {
  const openIn = (hours: readonly OpeningHours[], day: Day) => hours.some((h) => h.day === day);
  const opened = DAYS.find((day) => openIn(sent, day) && !openIn(saved, day));
  if (opened) return opened;
  const count = (day: Day) => sent.filter((h) => h.day === day).length;
  return DAYS.reduce((most, day) => (count(day) > count(most) ? day : most));
}

/**
 * Hours with more periods than the server takes (`field.too_many`), refused before they are
 * sent: an edit keeps the periods of each day left as it was, so opening one more day can
 * take a team with a break in most days over the limit.
 */
export function openingPeriodsProblems(
  saved: readonly OpeningHours[],
  sent: readonly OpeningHours[],
): SummaryError[] {
  return sent.length > MAX_OPENING_PERIODS
    ? [{ href: `${dayThatAddedPeriods(saved, sent)}-closed`, message: TOO_MANY_PERIODS }]
    : [];
}

/** The team form's own words for a problem the server words generally. */
export function teamMessage(key: string, code: string | undefined): string | undefined {
  return key === 'openingHours' && code === 'field.too_many' ? TOO_MANY_PERIODS : undefined;
}

/**
 * Maps an API problem's field path to the id of the field on the team form. A problem with
 * `openingHours.N` names the Nth period of the hours sent, which is not the Nth open day when
 * a day has several periods, so it is looked up in exactly what was sent. A problem with the
 * hours as a whole (too many periods) goes to the day that added periods, against `saved`,
 * the team's hours before (none for a new team).
 */
export function teamFieldId(sent: readonly OpeningHours[], saved: readonly OpeningHours[] = []) {
  return (key: string, code?: string): string | null => {
    if (teamMessage(key, code)) return `${dayThatAddedPeriods(saved, sent)}-closed`;
    const match = /^openingHours(?:\.(\d+)(?:\.(opens|closes|day))?)?/.exec(key);
    if (match) {
      const day = match[1] === undefined ? undefined : sent[Number(match[1])]?.day;
      if (!day) return 'monday-closed';
      return match[2] === 'opens' ? `${day}-opens` : `${day}-closes`;
    }
    const field = key.split('.')[0] ?? '';
    if (field === 'replyWithinWorkingDays') return 'replyDays';
    return ['name', 'slug', 'description', 'contactable', 'phone', 'active'].includes(field)
      ? field
      : null;
  };
}

export function describeHours(team: Team): string[] {
  return DAYS.map((day) => {
    const periods = periodsOn(team, day);
    return `${DAY_LABELS[day]}: ${periods.length ? periodsText(periods) : 'closed'}`;
  });
}
