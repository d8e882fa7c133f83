import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { updateTeam } from '../../api/endpoints';
import type { TeamDetail, TeamInput } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { usePageTitle } from '../../components/Page';
import { WarningCallout } from '../../components/WarningCallout';
import { useFormErrors } from '../../components/useFormErrors';
import {
  formToInput,
  openingHoursToSave,
  openingPeriodsProblems,
  teamFieldId,
  teamMessage,
  teamToForm,
  validateTeamForm,
} from './teamForm';
import { TeamFormFields } from './TeamFormFields';
import { teamKeys } from './useTeams';

/** What an edit sends: every field but the short name, which is fixed once a team is registered. */
type TeamChanges = Omit<TeamInput, 'slug'> & { active: boolean };

export function EditTeamForm({ team, onSaved }: { team: TeamDetail; onSaved: () => void }) {
  const [form, setForm] = useState(() => teamToForm(team));
  const errors = useFormErrors();
  const client = useQueryClient();
  usePageTitle(team.name, errors.hasErrors);

  const update = useMutation({
    mutationFn: (changes: TeamChanges) => updateTeam(team.id, changes),
    onSuccess: async (saved) => {
      client.setQueryData<TeamDetail>(teamKeys.detail(team.id), (old) =>
        old ? { ...old, ...saved } : old,
      );
      await client.invalidateQueries({ queryKey: teamKeys.all });
      errors.clear();
      setForm(teamToForm(saved));
      onSaved();
    },
    // A problem names a period by its place in the hours sent, so it is found in those.
    onError: (error, sent) =>
      errors.showApiError(error, teamFieldId(sent.openingHours, team.openingHours), teamMessage),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validateTeamForm(form, false);
    if (problems.length) return errors.show(problems);
    const openingHours = openingHoursToSave(team, form);
    const tooMany = openingPeriodsProblems(team.openingHours, openingHours);
    if (tooMany.length) return errors.show(tooMany);
    const { name, description, contactable, phone, replyWithinWorkingDays } = formToInput(form);
    update.mutate({
      name,
      description,
      contactable,
      phone,
      openingHours,
      replyWithinWorkingDays,
      active: form.active === 'yes',
    });
  };

  return (
    <section aria-labelledby="edit-team-heading" className="nhsuk-u-margin-top-6">
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h2 className="nhsuk-heading-m" id="edit-team-heading">
            Change team details
          </h2>
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <form noValidate onSubmit={onSubmit}>
            <TeamFormFields
              form={form}
              onChange={setForm}
              errors={errors.fields}
              withSlug={false}
              withActive
            />
            {/* Always on the page, so choosing Inactive is read out with what it means. */}
            <div aria-live="polite">
              {team.active && form.active === 'no' ? (
                <WarningCallout title={`Making ${team.name} inactive`}>
                  Its members will no longer see its conversations in their team inbox. Patients
                  will not be able to write to it, or to reply where it is the only team in a
                  conversation (they will be told to send a new message instead), and staff will not
                  be offered it on escalation pathways. Nothing is deleted: make it active again to
                  bring it all back.
                </WarningCallout>
              ) : null}
            </div>
            <button className="nhsuk-button" type="submit" disabled={update.isPending}>
              Save changes
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}
