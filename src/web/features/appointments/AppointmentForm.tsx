import { useQuery } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { getTeam } from '../../api/endpoints';
import type { Team } from '../../api/types';
import { CharacterCount } from '../../components/CharacterCount';
import type { SummaryError } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/fields';
import type { useFormErrors } from '../../components/useFormErrors';
import type { Appointment, AppointmentInput } from './appointmentsApi';
import { readDateTime, startsAtPart, toFields } from './appointmentTime';
import { DateInput } from '../../components/DateInput';
import type { DateParts } from '../../components/dateParts';

export const MAX_LOCATION = 200;
export const MAX_PREPARATION = 2000;

export interface AppointmentFormValues {
  teamId: string;
  /** '' for no particular clinician. */
  clinicianId: string;
  date: DateParts;
  time: string;
  duration: string;
  location: string;
  preparation: string;
}

export const EMPTY_FORM: AppointmentFormValues = {
  teamId: '',
  clinicianId: '',
  date: { day: '', month: '', year: '' },
  time: '',
  duration: '30',
  location: '',
  preparation: '',
};

export function formValuesOf(appointment: Appointment): AppointmentFormValues {
  const { day, month, year, time } = toFields(appointment.startsAt);
  return {
    teamId: appointment.team.id,
    clinicianId: appointment.clinician?.id ?? '',
    date: { day, month, year },
    time,
    duration: String(appointment.durationMinutes),
    location: appointment.location,
    preparation: appointment.preparation,
  };
}

/** Checks the form as NHS.UK forms do, top to bottom; returns the input or the problems. */
export function validateAppointment(
  values: AppointmentFormValues,
  now: Date,
  keptStart?: string,
): { input: AppointmentInput; problems: [] } | { input: null; problems: SummaryError[] } {
  const problems: SummaryError[] = [];
  if (!values.teamId) problems.push({ href: 'team', message: 'Select the team' });
  const when = readDateTime({ ...values.date, time: values.time }, now, keptStart);
  for (const problem of when.problems) {
    problems.push({
      href: problem.field === 'date' ? `date-${problem.part}` : 'time',
      message: problem.message,
    });
  }
  const duration = /^\d+$/.test(values.duration.trim()) ? Number(values.duration.trim()) : NaN;
  if (values.duration.trim() === '')
    problems.push({ href: 'duration', message: 'Enter how long the appointment is, in minutes' });
  else if (!Number.isInteger(duration) || duration < 5 || duration > 720)
    problems.push({
      href: 'duration',
      message: 'How long must be a whole number of minutes between 5 and 720',
    });
  const location = values.location.trim();
  if (!location) problems.push({ href: 'location', message: 'Enter where the appointment is' });
  else if (location.length > MAX_LOCATION)
    problems.push({ href: 'location', message: 'Where must be 200 characters or fewer' });
  if (values.preparation.trim().length > MAX_PREPARATION)
    problems.push({
      href: 'preparation',
      message: 'How to prepare must be 2,000 characters or fewer',
    });
  if (problems.length > 0 || when.iso === null) return { input: null, problems };
  return {
    input: {
      teamId: values.teamId,
      clinicianProfessionalId: values.clinicianId || null,
      startsAt: when.iso,
      durationMinutes: duration,
      location,
      preparation: values.preparation.trim(),
    },
    problems: [],
  };
}

/** Where a field named in an API problem (with its code) lives on this form. */
export function appointmentFieldId(key: string, code?: string): string | null {
  const field = key.split('.')[0] ?? '';
  const ids: Record<string, string> = {
    teamId: 'team',
    clinicianProfessionalId: 'clinician',
    startsAt: `date-${startsAtPart(code)}`,
    durationMinutes: 'duration',
    location: 'location',
    preparation: 'preparation',
  };
  return ids[field] ?? null;
}

function dateError(fields: Record<string, string>) {
  for (const part of ['day', 'month', 'year'] as const) {
    const message = fields[`date-${part}`];
    if (message) return { part, message };
  }
  return undefined;
}

/** The team's members, offered as the clinician. */
function ClinicianSelect({
  teamId,
  value,
  onChange,
  error,
}: {
  teamId: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const team = useQuery({
    queryKey: ['teams', teamId],
    queryFn: () => getTeam(teamId),
    enabled: teamId !== '',
    retry: false,
  });
  const members = team.data?.members ?? [];
  const options = [
    { value: '', label: teamId ? 'No particular clinician' : 'Select a team first' },
    ...members.map((m) => ({ value: m.professionalId, label: `${m.name}, ${m.jobTitle}` })),
  ];
  // Keep a current clinician who is no longer listed, so a change form does not drop them.
  if (value && !options.some((o) => o.value === value)) {
    options.push({ value, label: 'The clinician booked now' });
  }
  return (
    <Select
      id="clinician"
      label="Clinician (optional)"
      hint="Only if the appointment is with someone in particular"
      options={options}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

export function AppointmentFormFields({
  values,
  onChange,
  errors,
  teams,
  fixedTeam,
}: {
  values: AppointmentFormValues;
  onChange: (values: AppointmentFormValues) => void;
  errors: ReturnType<typeof useFormErrors>;
  /** Teams to choose from when booking; a change keeps the team it has. */
  teams?: Team[];
  fixedTeam?: ReactNode;
}) {
  const set = <K extends keyof AppointmentFormValues>(key: K, value: AppointmentFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const manyOrganisations = new Set((teams ?? []).map((t) => t.organisationId)).size > 1;
  return (
    <>
      {teams ? (
        <Select
          id="team"
          label="Team"
          hint="The clinical team the appointment is with"
          options={[
            { value: '', label: 'Select a team' },
            ...teams.map((t) => ({
              value: t.id,
              label: manyOrganisations ? `${t.name}, ${t.organisationName}` : t.name,
            })),
          ]}
          value={values.teamId}
          onChange={(teamId) => onChange({ ...values, teamId, clinicianId: '' })}
          error={errors.fields.team}
        />
      ) : (
        fixedTeam
      )}
      <ClinicianSelect
        teamId={values.teamId}
        value={values.clinicianId}
        onChange={(clinicianId) => set('clinicianId', clinicianId)}
        error={errors.fields.clinician}
      />
      <DateInput
        id="date"
        legend="Date"
        hint="For example, 15 3 2027"
        value={values.date}
        onChange={(date) => set('date', date)}
        error={dateError(errors.fields)}
      />
      <TextInput
        id="time"
        type="time"
        label="Time"
        hint="UK time, for example 14:30"
        width="nhsuk-input--width-5"
        value={values.time}
        onChange={(time) => set('time', time)}
        error={errors.fields.time}
      />
      <TextInput
        id="duration"
        label="How long, in minutes"
        width="nhsuk-input--width-5"
        value={values.duration}
        onChange={(duration) => set('duration', duration)}
        error={errors.fields.duration}
      />
      <TextInput
        id="location"
        label="Where"
        hint="The building, clinic and floor, for example Outpatients B, Level 2, Main Hospital"
        value={values.location}
        onChange={(location) => set('location', location)}
        error={errors.fields.location}
      />
      <CharacterCount
        id="preparation"
        label="How to prepare (optional)"
        hint="For example, bring your medicines, or do not eat for 6 hours before"
        value={values.preparation}
        onChange={(preparation) => set('preparation', preparation)}
        maxLength={MAX_PREPARATION}
        rows={4}
        error={errors.fields.preparation}
      />
    </>
  );
}

/** Validates on submit; shows the problems in the error summary or hands on the input. */
export function submitAppointmentForm(
  event: FormEvent,
  values: AppointmentFormValues,
  errors: ReturnType<typeof useFormErrors>,
  onValid: (input: AppointmentInput) => void,
  /** A changed appointment's start as it is: not judged again if it is kept. */
  keptStart?: string,
): void {
  event.preventDefault();
  const result = validateAppointment(values, new Date(), keptStart);
  if (result.input === null) {
    errors.show(result.problems);
    return;
  }
  errors.clear();
  onValid(result.input);
}
