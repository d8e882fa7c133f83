import { describe, expect, test } from 'vitest';
import { settingsValuesOf, validateAppointmentSettings } from './appointmentSettingsForm';

const team = '7a1d3f52-58a4-4c4e-9a51-2b1f0c7b2d10';

describe('the appointment settings form', () => {
  test('starts from what is saved; a team no longer active must be chosen again', () => {
    const saved = { organisationId: 'org', changeCutoffHours: 48 };
    expect(
      settingsValuesOf({ ...saved, appointmentsTeam: { id: team, name: 'A', active: true } }),
    ).toEqual({ appointmentsTeamId: team, changeCutoffHours: '48' });
    expect(
      settingsValuesOf({ ...saved, appointmentsTeam: { id: team, name: 'A', active: false } }),
    ).toEqual({ appointmentsTeamId: '', changeCutoffHours: '48' });
    expect(settingsValuesOf({ ...saved, appointmentsTeam: null }).appointmentsTeamId).toBe('');
  });

  test('a team and a whole number of hours from 0 to 720 are what the API is sent', () => {
    for (const [typed, hours] of [
      [' 72 ', 72],
      ['0', 0],
      ['720', 720],
    ] as const) {
      expect(
        validateAppointmentSettings({ appointmentsTeamId: team, changeCutoffHours: typed }),
      ).toEqual({ input: { appointmentsTeamId: team, changeCutoffHours: hours }, problems: [] });
    }
  });

  test.each([
    ['', 'Enter how many hours before an appointment patients can still ask online'],
    ['three days', 'Hours must be a whole number, like 72'],
    ['1.5', 'Hours must be a whole number, like 72'],
    ['-1', 'Hours must be between 0 and 720'],
    ['721', 'Hours must be between 0 and 720'],
  ])('hours %j: %s', (typed, message) => {
    expect(
      validateAppointmentSettings({ appointmentsTeamId: team, changeCutoffHours: typed }).problems,
    ).toEqual([{ href: 'changeCutoffHours', message }]);
  });

  test('every problem at once, in the order of the page', () => {
    const { problems } = validateAppointmentSettings({
      appointmentsTeamId: '',
      changeCutoffHours: '',
    });
    expect(problems.map((p) => p.href)).toEqual(['appointmentsTeamId', 'changeCutoffHours']);
  });
});
