import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import type { Team } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, Select, TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { useUser } from '../session/useSession';
import { useTeamList } from '../teams/useTeams';
import {
  type AppointmentSettings,
  type AppointmentSettingsInput,
  appointmentKeys,
  getAppointmentSettings,
  updateAppointmentSettings,
  useAppointmentSettings,
} from './appointmentsApi';
import {
  type AnsweredBy,
  MAX_CUTOFF_HOURS,
  settingsFieldId,
  settingsValuesOf,
  validateAppointmentSettings,
} from './appointmentSettingsForm';

const TITLE = 'Appointment settings';

const CONFLICT =
  'Someone else changed the appointment settings while you were working on them. The page now shows their changes: check them and save again.';
const CONFLICT_UNLOADED =
  'Someone else changed the appointment settings while you were working on them, and their changes could not be loaded. Reload the page, check the settings and save again.';

/**
 * /organisations/:organisationId/appointment-settings: a coordinator chooses whether one team
 * answers patients' questions about appointments for every clinic (or each clinic answers
 * its own), and how close to an appointment they may still ask online.
 */
export function AppointmentSettingsPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const settings = useAppointmentSettings(organisationId, organisation !== undefined);
  const teams = useTeamList(organisationId, organisation !== undefined);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (settings.isPending || teams.isPending) return <Loading />;
  if (settings.isError) return <LoadFailure error={settings.error} />;
  if (teams.isError) return <LoadFailure error={teams.error} />;
  return (
    <SettingsForm
      organisationName={organisation.name}
      loaded={settings.data}
      teams={teams.data.filter((team) => team.active)}
    />
  );
}

function SettingsForm({
  organisationName,
  loaded,
  teams,
}: {
  organisationName: string;
  loaded: AppointmentSettings;
  teams: Team[];
}) {
  // The settings as last read or saved: a save names their version.
  const [base, setBase] = useState(loaded);
  const [values, setValues] = useState(() => settingsValuesOf(loaded));
  const [saved, setSaved] = useState(0);
  const errors = useFormErrors();
  const client = useQueryClient();
  const { organisationId } = loaded;
  usePageTitle(TITLE, errors.hasErrors);

  const showFresh = (fresh: AppointmentSettings) => {
    client.setQueryData(appointmentKeys.settings(organisationId), fresh);
    setBase(fresh);
  };

  // Another coordinator saved first: show what they saved, and let this one check and save again.
  const onConflict = async () => {
    try {
      const fresh = await getAppointmentSettings(organisationId);
      showFresh(fresh);
      setValues(settingsValuesOf(fresh));
      errors.show([{ href: null, message: CONFLICT }]);
    } catch {
      // What is shown is not what was saved, and saving again would only meet the same 409.
      errors.show([{ href: null, message: CONFLICT_UNLOADED }]);
    }
  };

  const save = useMutation({
    mutationFn: (input: AppointmentSettingsInput) =>
      updateAppointmentSettings(organisationId, input),
    onSuccess: (result) => {
      showFresh(result);
      // Who may book and change appointments has changed with the team.
      void client.invalidateQueries({ queryKey: appointmentKeys.all, refetchType: 'none' });
      setSaved((n) => n + 1);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'appointment_settings.version_conflict') {
        void onConflict();
      } else {
        errors.showApiError(error, settingsFieldId);
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setSaved(0);
    const checked = validateAppointmentSettings(values, { teamsToChoose: teams.length > 0 });
    if (!checked.input) return errors.show(checked.problems);
    save.mutate({ ...checked.input, version: base.version });
  };

  const current = base.appointmentsTeam;
  const teamChoice =
    teams.length === 0 ? (
      <p className="nhsuk-body">
        {organisationName} has no active teams yet.{' '}
        <Link to={`/teams/new?organisationId=${encodeURIComponent(organisationId)}`}>
          Register a team
        </Link>{' '}
        first.
      </p>
    ) : (
      <Select
        id="appointmentsTeamId"
        label="Which team?"
        hint={`Staff in this team can also book, change and cancel appointments for every team in ${organisationName}.`}
        options={[
          { value: '', label: 'Select a team' },
          ...teams.map((team) => ({ value: team.id, label: team.name })),
        ]}
        value={values.appointmentsTeamId}
        onChange={(appointmentsTeamId) => setValues({ ...values, appointmentsTeamId })}
        error={errors.fields.appointmentsTeamId}
      />
    );
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {saved > 0 ? (
            <SuccessBanner key={saved} message="The appointment settings have been saved" focus />
          ) : null}
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisationName}>{TITLE}</Heading>
          <p className="nhsuk-body">
            When a patient or their carer chooses “Ask to change” or “Ask to cancel” on an
            appointment, Carethread starts a conversation about it. You can choose one team, such as
            Central Appointments, to answer these for every clinic in {organisationName}. Otherwise
            each clinic answers questions about its own appointments, and only that clinic can book
            or change them.
          </p>
          {current && !current.active ? (
            <WarningCallout title={`${current.name} is no longer active`}>
              Choose another team, or no central team, so that patients’ questions about
              appointments are answered.
            </WarningCallout>
          ) : null}
          <form noValidate onSubmit={onSubmit}>
            <Radios<AnsweredBy>
              id="answeredBy"
              legend="Who answers patients’ questions about appointments?"
              legendClassName="nhsuk-fieldset__legend--m"
              hint="Conversations that have already started stay with the team that has them."
              options={[
                {
                  value: 'team',
                  label: 'One team answers them for every clinic',
                  conditional: teamChoice,
                },
                {
                  value: 'none',
                  label:
                    'No central team: each clinic answers questions about its own appointments',
                },
              ]}
              value={values.answeredBy}
              onChange={(answeredBy) => setValues({ ...values, answeredBy })}
              error={errors.fields.answeredBy}
            />
            <TextInput
              id="changeCutoffHours"
              label="Up to how many hours before an appointment can patients ask to change or cancel it online?"
              labelClassName="nhsuk-label--m"
              hint={`A whole number from 0 to ${MAX_CUTOFF_HOURS}: for example, 72 is 3 days. After that, patients are asked to phone. A change applies straight away to every booked appointment.`}
              width="nhsuk-input--width-5"
              inputMode="numeric"
              value={values.changeCutoffHours}
              onChange={(changeCutoffHours) => setValues({ ...values, changeCutoffHours })}
              error={errors.fields.changeCutoffHours}
            />
            <button className="nhsuk-button" type="submit" disabled={save.isPending}>
              Save settings
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
