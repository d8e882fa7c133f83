import { describe, expect, test } from 'vitest';
import {
  type AppointmentSettingsValues,
  settingsFieldId,
  settingsValuesOf,
  validateAppointmentSettings,
} from './appointmentSettingsForm';

const team = '7a1d3f52-58a4-4c4e-9a51-2b1f0c7b2d10';
const byTeam = (changeCutoffHours: string): AppointmentSettingsValues => ({
  answeredBy: 'team',
  appointmentsTeamId: team,
  changeCutoffHours,
});

describe('the appointment settings form', () => {
  const saved = { organisationId: 'org', changeCutoffHours: 48, version: 3 };

  test('starts from what is saved; a team no longer active must be chosen again', () => {
    expect(
      settingsValuesOf({ ...saved, appointmentsTeam: { id: team, name: 'A', active: true } }),
    ).toEqual({ answeredBy: 'team', appointmentsTeamId: team, changeCutoffHours: '48' });
    expect(
      settingsValuesOf({ ...saved, appointmentsTeam: { id: team, name: 'A', active: false } }),
    ).toEqual({ answeredBy: 'team', appointmentsTeamId: '', changeCutoffHours: '48' });
  });

  test('no team, whether never saved or set back to none, reads as "No central team"', () => {
    for (const settings of [
      { ...saved, appointmentsTeam: null },
      { organisationId: 'org', appointmentsTeam: null, changeCutoffHours: 72, version: 0 },
    ]) {
      expect(settingsValuesOf(settings)).toEqual({
        answeredBy: 'none',
        appointmentsTeamId: '',
        changeCutoffHours: String(settings.changeCutoffHours),
      });
    }
  });

  test('a team and a whole number of hours from 0 to 720 are what the API is sent', () => {
    for (const [typed, hours] of [
      [' 72 ', 72],
      ['0', 0],
      ['720', 720],
    ] as const) {
      expect(validateAppointmentSettings(byTeam(typed))).toEqual({
        input: { appointmentsTeamId: team, changeCutoffHours: hours },
        problems: [],
      });
    }
  });

  test('"No central team" sends null, whatever team was picked before', () => {
    expect(validateAppointmentSettings({ ...byTeam('24'), answeredBy: 'none' }).input).toEqual({
      appointmentsTeamId: null,
      changeCutoffHours: 24,
    });
    expect(
      validateAppointmentSettings({
        answeredBy: 'none',
        appointmentsTeamId: '',
        changeCutoffHours: '24',
      }).problems,
    ).toEqual([]);
  });

  test.each([
    ['', 'Enter how many hours before an appointment patients can still ask online'],
    ['three days', 'Hours must be a whole number, like 72'],
    ['1.5', 'Hours must be a whole number, like 72'],
    ['-1', 'Hours must be between 0 and 720'],
    ['721', 'Hours must be between 0 and 720'],
  ])('hours %j: %s', (typed, message) => {
    expect(validateAppointmentSettings(byTeam(typed)).problems).toEqual([
      { href: 'changeCutoffHours', message },
    ]);
  });

  test('every problem at once, in the order of the page', () => {
    const { problems } = validateAppointmentSettings({
      answeredBy: 'team',
      appointmentsTeamId: '',
      changeCutoffHours: '',
    });
    expect(problems).toEqual([
      {
        href: 'appointmentsTeamId',
        message: 'Select the team that answers patients’ questions about appointments',
      },
      {
        href: 'changeCutoffHours',
        message: 'Enter how many hours before an appointment patients can still ask online',
      },
    ]);
  });

  test('with no active team to choose, the question itself is what to change', () => {
    const values = { answeredBy: 'team' as const, appointmentsTeamId: '', changeCutoffHours: '72' };
    expect(validateAppointmentSettings(values, { teamsToChoose: false }).problems).toEqual([
      {
        href: 'answeredBy',
        message: 'There is no active team to choose. Register a team, or choose no central team',
      },
    ]);
    expect(
      validateAppointmentSettings({ ...values, answeredBy: 'none' }, { teamsToChoose: false })
        .problems,
    ).toEqual([]);
  });

  test('the API’s field problems land on the fields; the version is the page’s, not a field', () => {
    expect(settingsFieldId('appointmentsTeamId')).toBe('appointmentsTeamId');
    expect(settingsFieldId('changeCutoffHours')).toBe('changeCutoffHours');
    expect(settingsFieldId('version')).toBeNull();
  });
});
