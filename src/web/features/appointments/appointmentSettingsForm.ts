import type { SummaryError } from '../../components/ErrorSummary';
import type { AppointmentSettings, AppointmentSettingsChoice } from './appointmentsApi';

/** The longest cut-off the server accepts: 30 days. */
export const MAX_CUTOFF_HOURS = 720;

/** One team answers appointment questions for every clinic, or each clinic answers its own. */
export type AnsweredBy = 'team' | 'none';

export interface AppointmentSettingsValues {
  answeredBy: AnsweredBy;
  /** '' until a team is chosen. */
  appointmentsTeamId: string;
  changeCutoffHours: string;
}

/**
 * The form as saved. No team ("not set", or set back to none) reads as "No central team";
 * a team no longer active leaves "a team" chosen but empty, so another must be chosen.
 */
export function settingsValuesOf(settings: AppointmentSettings): AppointmentSettingsValues {
  const team = settings.appointmentsTeam;
  return {
    answeredBy: team ? 'team' : 'none',
    appointmentsTeamId: team?.active ? team.id : '',
    changeCutoffHours: String(settings.changeCutoffHours),
  };
}

/** Checks the form top to bottom, as NHS.UK forms do; the field ids are the API's field names. */
export function validateAppointmentSettings(
  values: AppointmentSettingsValues,
  { teamsToChoose = true }: { teamsToChoose?: boolean } = {},
): { input: AppointmentSettingsChoice; problems: [] } | { input: null; problems: SummaryError[] } {
  const problems: SummaryError[] = [];
  if (values.answeredBy === 'team' && !teamsToChoose) {
    // No drop-down is shown: the question itself is what to change.
    problems.push({
      href: 'answeredBy',
      message: 'There is no active team to choose. Register a team, or choose no central team',
    });
  } else if (values.answeredBy === 'team' && !values.appointmentsTeamId) {
    problems.push({
      href: 'appointmentsTeamId',
      message: 'Select the team that answers patients’ questions about appointments',
    });
  }
  const typed = values.changeCutoffHours.trim();
  const hours = Number(typed);
  if (typed === '') {
    problems.push({
      href: 'changeCutoffHours',
      message: 'Enter how many hours before an appointment patients can still ask online',
    });
  } else if (!/^-?\d+$/.test(typed)) {
    problems.push({ href: 'changeCutoffHours', message: 'Hours must be a whole number, like 72' });
  } else if (hours < 0 || hours > MAX_CUTOFF_HOURS) {
    problems.push({
      href: 'changeCutoffHours',
      message: `Hours must be between 0 and ${MAX_CUTOFF_HOURS}`,
    });
  }
  if (problems.length > 0) return { input: null, problems };
  return {
    input: {
      appointmentsTeamId: values.answeredBy === 'team' ? values.appointmentsTeamId : null,
      changeCutoffHours: hours,
    },
    problems: [],
  };
}

/** Where a field named in an API problem lives on this form. */
export function settingsFieldId(key: string): string | null {
  return key === 'appointmentsTeamId' || key === 'changeCutoffHours' ? key : null;
}
