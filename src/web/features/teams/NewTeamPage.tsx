import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { createTeam } from '../../api/endpoints';
import type { TeamInput } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Select } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { emptyTeamForm, formToInput, teamFieldId, teamMessage, validateTeamForm } from './teamForm';
import { TeamFormFields } from './TeamFormFields';
import { teamKeys } from './useTeams';

export function NewTeamPage() {
  const user = useUser();
  const [params] = useSearchParams();
  const requested = params.get('organisationId');
  const [organisationId, setOrganisationId] = useState(
    user.coordinatorOf.find((o) => o.id === requested)?.id ?? user.coordinatorOf[0]?.id ?? '',
  );
  const [form, setForm] = useState(emptyTeamForm);
  const errors = useFormErrors();
  const client = useQueryClient();
  const navigate = useNavigate();
  usePageTitle('Register a team', errors.hasErrors);

  const create = useMutation({
    mutationFn: (input: TeamInput) => createTeam(organisationId, input),
    onSuccess: async (team) => {
      await client.invalidateQueries({ queryKey: teamKeys.all });
      void navigate(`/teams/${team.id}`, { state: { flash: `${team.name} has been registered` } });
    },
    onError: (error, sent) => {
      if (error instanceof ApiError && error.code === 'team.slug_taken') {
        errors.show([{ href: 'slug', message: 'Another team already uses this short name' }]);
      } else {
        errors.showApiError(error, teamFieldId(sent.openingHours), teamMessage);
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = validateTeamForm(form, true);
    if (problems.length) return errors.show(problems);
    create.mutate(formToInput(form));
  };

  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisation?.name}>Register a team</Heading>
          <form noValidate onSubmit={onSubmit}>
            {user.coordinatorOf.length > 1 ? (
              <Select
                id="organisationId"
                label="Organisation"
                options={user.coordinatorOf.map((o) => ({ value: o.id, label: o.name }))}
                value={organisationId}
                onChange={setOrganisationId}
              />
            ) : null}
            <TeamFormFields
              form={form}
              onChange={setForm}
              errors={errors.fields}
              withSlug
              withActive={false}
            />
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              Register team
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
