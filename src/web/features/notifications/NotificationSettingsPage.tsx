import { useState, type FormEvent } from 'react';
import type { NotificationMode, NotificationPreferences } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, type Option } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { useNotificationPreferences, useUpdateNotificationPreferences } from './useNotifications';

export const MODE_OPTIONS: Option<NotificationMode>[] = [
  { value: 'immediate', label: 'Email me straight away' },
  { value: 'digest', label: 'Send me one email a day (daily digest)' },
  { value: 'off', label: 'No emails' },
];

const TITLE = 'Email notifications';

/** /settings/notifications: how a professional hears about each of their teams' messages. */
export function NotificationSettingsPage() {
  const preferences = useNotificationPreferences();
  usePageTitle(TITLE);
  if (preferences.isPending) return <Loading />;
  if (preferences.isError) return <LoadFailure error={preferences.error} />;
  return <NotificationSettingsForm preferences={preferences.data} />;
}

function NotificationSettingsForm({ preferences }: { preferences: NotificationPreferences }) {
  const [modes, setModes] = useState<Record<string, NotificationMode>>(() =>
    Object.fromEntries(preferences.teams.map((t) => [t.teamId, t.mode])),
  );
  const [saved, setSaved] = useState(0);
  const errors = useFormErrors();
  const update = useUpdateNotificationPreferences();
  usePageTitle(TITLE, errors.hasErrors);

  const fieldId = (index: number) => `mode-${index}`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setSaved(0);
    update.mutate(
      preferences.teams.map((t) => ({ teamId: t.teamId, mode: modes[t.teamId] ?? t.mode })),
      {
        onSuccess: (result) => {
          setModes(Object.fromEntries(result.teams.map((t) => [t.teamId, t.mode])));
          setSaved((n) => n + 1);
        },
        onError: (error) =>
          errors.showApiError(error, (key) => {
            const match = /^teams\.(\d+)/.exec(key);
            return match ? fieldId(Number(match[1])) : null;
          }),
      },
    );
  };

  return (
    <>
      <BackLink to="/">Back to home</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {saved > 0 ? (
            <SuccessBanner
              key={saved}
              message="Your email notification settings have been saved"
              focus
            />
          ) : null}
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading>{TITLE}</Heading>
          <p className="nhsuk-body">
            Choose how we tell you about new secure messages for each of your teams. Emails only say
            that a message is waiting: they never include the patient’s name or what they wrote.
          </p>
          {preferences.teams.length === 0 ? (
            <p className="nhsuk-body">
              You are not a member of any team yet, so there is nothing to choose.
            </p>
          ) : (
            <form noValidate onSubmit={onSubmit}>
              {preferences.teams.map((team, index) => (
                <Radios
                  key={team.teamId}
                  id={fieldId(index)}
                  legend={team.teamName}
                  legendClassName="nhsuk-fieldset__legend--m"
                  options={MODE_OPTIONS}
                  value={modes[team.teamId] ?? team.mode}
                  error={errors.fields[fieldId(index)]}
                  onChange={(mode) => setModes((old) => ({ ...old, [team.teamId]: mode }))}
                />
              ))}
              <button className="nhsuk-button" type="submit" disabled={update.isPending}>
                Save settings
              </button>
            </form>
          )}
        </div>
      </div>
    </>
  );
}
