import { describe, expect, it } from 'vitest';
import type { Team } from '../../api/types';
import { MAX_OPENING_PERIODS } from '../../../server/modules/directory/opening-hours.limit';
import {
  describeHours,
  openingHoursToSave,
  openingPeriodsProblems,
  slugify,
  teamFieldId,
  teamMessage,
  teamToForm,
} from './teamForm';

const team = (openingHours: Team['openingHours']): Team => ({
  id: 't1',
  organisationId: 'o1',
  organisationName: 'Ysbyty Gwynedd',
  name: 'Outpatients',
  slug: 'outpatients',
  description: '',
  contactable: true,
  phone: null,
  openingHours,
  replyWithinWorkingDays: null,
  active: true,
});

// A team's hours may have a break (set through the API, as a GP reception's lunch closure):
// the coordinator's form holds one period a day (decision 0013).
const split = team([
  { day: 'monday', opens: '13:30', closes: '17:00' },
  { day: 'monday', opens: '09:00', closes: '12:30' },
  { day: 'tuesday', opens: '09:00', closes: '17:00' },
]);

describe('editing a team with a break in its day keeps what the coordinator did not change', () => {
  it('changing nothing about the hours saves every period as it was', () => {
    expect(openingHoursToSave(split, teamToForm(split))).toEqual([
      { day: 'monday', opens: '09:00', closes: '12:30' },
      { day: 'monday', opens: '13:30', closes: '17:00' },
      { day: 'tuesday', opens: '09:00', closes: '17:00' },
    ]);
  });

  it('changing another day leaves Monday’s two periods alone', () => {
    const form = teamToForm(split);
    form.hours.tuesday = { ...form.hours.tuesday, closes: '1600' };
    form.hours.friday = { closed: false, opens: '9', closes: '12:00' };
    expect(openingHoursToSave(split, form)).toEqual([
      { day: 'monday', opens: '09:00', closes: '12:30' },
      { day: 'monday', opens: '13:30', closes: '17:00' },
      { day: 'tuesday', opens: '09:00', closes: '16:00' },
      { day: 'friday', opens: '09:00', closes: '12:00' },
    ]);
  });

  it('the form shows the whole day and says what it holds; changing it saves one period', () => {
    const form = teamToForm(split);
    expect(form.hours.monday).toMatchObject({
      closed: false,
      opens: '09:00',
      closes: '17:00',
      periods: '09:00 to 12:30, 13:30 to 17:00',
    });
    form.hours.monday = { ...form.hours.monday, opens: '08:00' };
    expect(openingHoursToSave(split, form).filter((h) => h.day === 'monday')).toEqual([
      { day: 'monday', opens: '08:00', closes: '17:00' },
    ]);
    form.hours.monday = { ...form.hours.monday, closed: true };
    expect(openingHoursToSave(split, form).filter((h) => h.day === 'monday')).toEqual([]);
  });

  it('the team’s summary lists every period of a day', () => {
    expect(describeHours(split).slice(0, 3)).toEqual([
      'Monday: 09:00 to 12:30, 13:30 to 17:00',
      'Tuesday: 09:00 to 17:00',
      'Wednesday: closed',
    ]);
  });
});

describe('a problem with the hours sent is shown against the day it is about', () => {
  // The server names a period by its place in the hours sent: with two on Monday, the
  // second (index 1) is Monday's and the third (index 2) is Tuesday's.
  it('maps a period’s index through the hours sent, not through the open days', () => {
    const form = teamToForm(split);
    form.hours.friday = { closed: false, opens: '09:00', closes: '12:00' };
    const fieldId = teamFieldId(openingHoursToSave(split, form));
    expect(fieldId('openingHours.0')).toBe('monday-closes');
    expect(fieldId('openingHours.1')).toBe('monday-closes');
    expect(fieldId('openingHours.2')).toBe('tuesday-closes');
    expect(fieldId('openingHours.2.opens')).toBe('tuesday-opens');
    expect(fieldId('openingHours.3.closes')).toBe('friday-closes');
    expect(fieldId('openingHours.4')).toBe('monday-closed');
    expect(fieldId('phone')).toBe('phone');
  });
});

// 21 periods, the most the server takes: four a weekday (breaks between) and Saturday morning.
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const;
const full = team([
  ...WEEKDAYS.flatMap((day) =>
    [
      ['08:00', '09:00'],
      ['10:00', '11:00'],
      ['12:00', '13:00'],
      ['14:00', '17:00'],
    ].map(([opens = '', closes = '']) => ({ day, opens, closes })),
  ),
  { day: 'saturday', opens: '09:00', closes: '12:00' },
]);
const TOO_MANY =
  'A team can have at most 21 opening periods in a week. Remove a period or close a day';

describe('a team cannot have more opening periods than the server takes', () => {
  it('the team form and the server share the limit', () => {
    expect(MAX_OPENING_PERIODS).toBe(21);
    expect(full.openingHours).toHaveLength(MAX_OPENING_PERIODS);
  });

  it('opening Sunday as well is refused before sending, on Sunday', () => {
    const form = teamToForm(full);
    form.hours.sunday = { closed: false, opens: '10:00', closes: '14:00' };
    const sent = openingHoursToSave(full, form);
    expect(sent).toHaveLength(22);
    expect(openingPeriodsProblems(full.openingHours, sent)).toEqual([
      { href: 'sunday-closed', message: TOO_MANY },
    ]);
  });

  it('making a day with breaks one period makes room for Sunday', () => {
    const form = teamToForm(full);
    form.hours.sunday = { closed: false, opens: '10:00', closes: '14:00' };
    form.hours.monday = { ...form.hours.monday, opens: '09:00' };
    const sent = openingHoursToSave(full, form);
    expect(sent).toHaveLength(19);
    expect(openingPeriodsProblems(full.openingHours, sent)).toEqual([]);
  });

  it('the server’s own refusal is worded as the form’s and shown on the day that added periods', () => {
    const form = teamToForm(full);
    form.hours.sunday = { closed: false, opens: '10:00', closes: '14:00' };
    const sent = openingHoursToSave(full, form);
    expect(teamFieldId(sent, full.openingHours)('openingHours', 'field.too_many')).toBe(
      'sunday-closed',
    );
    expect(teamMessage('openingHours', 'field.too_many')).toBe(TOO_MANY);
    expect(teamMessage('openingHours.0', 'team.opening_hours_invalid')).toBeUndefined();
    // Hours saved before there was a limit: the day with the most periods.
    const old = team([...full.openingHours, { day: 'friday', opens: '18:00', closes: '19:00' }]);
    expect(teamFieldId(old.openingHours, old.openingHours)('openingHours', 'field.too_many')).toBe(
      'friday-closed',
    );
  });
});

describe('a team whose periods overlap (saved before overlaps were refused) can still be edited', () => {
  const overlapping = team([
    { day: 'monday', opens: '12:00', closes: '17:00' },
    { day: 'monday', opens: '09:00', closes: '13:00' },
    { day: 'monday', opens: '10:00', closes: '11:00' },
    { day: 'tuesday', opens: '08:00', closes: '10:00' },
    { day: 'tuesday', opens: '14:00', closes: '17:00' },
    { day: 'tuesday', opens: '09:00', closes: '11:00' },
    { day: 'wednesday', opens: '09:00', closes: '12:00' },
    { day: 'wednesday', opens: '12:00', closes: '17:00' },
  ]);

  it('changing only the phone number sends each day’s overlapping periods joined, the same hours', () => {
    const form = teamToForm(overlapping);
    form.phone = '0300 123 7777';
    expect(openingHoursToSave(overlapping, form)).toEqual([
      { day: 'monday', opens: '09:00', closes: '17:00' },
      { day: 'tuesday', opens: '08:00', closes: '11:00' },
      { day: 'tuesday', opens: '14:00', closes: '17:00' },
      // Periods that only meet do not overlap (the server accepts them), so they stay.
      { day: 'wednesday', opens: '09:00', closes: '12:00' },
      { day: 'wednesday', opens: '12:00', closes: '17:00' },
    ]);
  });

  it('the form and the summary show the joined periods, which is what saving keeps', () => {
    const form = teamToForm(overlapping);
    expect(form.hours.monday).toEqual({ closed: false, opens: '09:00', closes: '17:00' });
    expect(form.hours.tuesday).toMatchObject({
      opens: '08:00',
      closes: '17:00',
      periods: '08:00 to 11:00, 14:00 to 17:00',
    });
    expect(describeHours(overlapping).slice(0, 2)).toEqual([
      'Monday: 09:00 to 17:00',
      'Tuesday: 08:00 to 11:00, 14:00 to 17:00',
    ]);
  });
});

describe('slugify suggests a team’s web address from its name', () => {
  it.each([
    ['Cardiology Nurses', 'cardiology-nurses'],
    ['Tŷ Gwyn Clinig', 'ty-gwyn-clinig'],
    ['Siân’s Ward', 'sian-s-ward'],
    ['Cardiología Pediátrica', 'cardiologia-pediatrica'],
    ['Noël & Zoë (A&E)', 'noel-zoe-a-e'],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  // Letters NFD leaves whole (no base letter and accent to split) are spelt out, not dropped.
  it.each([
    ['Straße Klinik', 'strasse-klinik'],
    ['STRAẞE', 'strasse'],
    ['Øre-Næse-Hals', 'ore-naese-hals'],
    ['Søren Ærø', 'soren-aero'],
    ['Łódź Oddział', 'lodz-oddzial'],
    ['Đakovo Đorđe', 'dakovo-dorde'],
    ['Þórður Guðmundsson', 'thordur-gudmundsson'],
    ['Œdème Cœur', 'oedeme-coeur'],
    ['Kırıkkale', 'kirikkale'],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
