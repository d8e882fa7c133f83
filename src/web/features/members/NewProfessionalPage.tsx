import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { createProfessional } from '../../api/endpoints';
import type { Role, TeamDetail } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { Checkbox, Radios, TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useTeam } from '../teams/useTeams';
import { ROLE_OPTIONS, useSaveMember } from './useMembers';
import { looksLikeEmail } from '../../components/email';

export function NewProfessionalPage() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  usePageTitle('Create a new professional');
  if (team.isPending) return <Loading />;
  if (team.isError) return <LoadFailure error={team.error} />;
  if (!team.data.actions.manageMembers)
    return <LoadFailure error={new ApiError({ status: 403 })} />;
  return <NewProfessionalForm team={team.data} />;
}

function NewProfessionalForm({ team }: { team: TeamDetail }) {
  const [name, setName] = useState('');
  const [jobTitle, setJobTitle] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [contactable, setContactable] = useState(false);
  // Remembered so a retry after a failed "add to team" does not create the person twice.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const errors = useFormErrors();
  const navigate = useNavigate();
  const save = useSaveMember(team.id);
  usePageTitle('Create a new professional', errors.hasErrors);

  const create = useMutation({
    mutationFn: async () => {
      let id = createdId;
      if (!id) {
        const professional = await createProfessional(team.organisationId, {
          name: name.trim(),
          jobTitle: jobTitle.trim(),
          email: email.trim(),
        });
        id = professional.id;
        setCreatedId(id);
      }
      await save.mutateAsync({ professionalId: id, role, contactable });
    },
    onSuccess: () =>
      navigate(`/teams/${team.id}/members`, {
        state: { flash: `${name.trim()} has been added to ${team.name}` },
      }),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'professional.email_taken') {
        errors.show([
          {
            href: 'email',
            message:
              'Someone already uses this email address. Search for them on the team members page instead',
          },
        ]);
      } else {
        errors.showApiError(error, (key) =>
          ['name', 'jobTitle', 'email', 'role', 'contactable'].includes(key) ? key : null,
        );
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list: SummaryError[] = [];
    if (!name.trim()) list.push({ href: 'name', message: 'Enter their full name' });
    if (!jobTitle.trim()) list.push({ href: 'jobTitle', message: 'Enter their job title' });
    if (!email.trim()) list.push({ href: 'email', message: 'Enter their work email address' });
    else if (!looksLikeEmail(email.trim())) {
      list.push({
        href: 'email',
        message: 'Enter an email address in the correct format, like name@nhs.net',
      });
    }
    if (list.length) return errors.show(list);
    create.mutate();
  };

  return (
    <>
      <BackLink to={`/teams/${team.id}/members`}>Back to team members</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={team.name}>Create a new professional</Heading>
          <p className="nhsuk-body">
            They will get a Carethread account at {team.organisationName} and be added to{' '}
            {team.name}.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <TextInput
              id="name"
              label="Full name"
              autoComplete="off"
              value={name}
              onChange={setName}
              error={errors.fields.name}
            />
            <TextInput
              id="jobTitle"
              label="Job title"
              hint="For example, Staff Nurse or Consultant Cardiologist"
              value={jobTitle}
              onChange={setJobTitle}
              error={errors.fields.jobTitle}
            />
            <TextInput
              id="email"
              label="Work email address"
              type="email"
              autoComplete="off"
              spellCheck={false}
              value={email}
              onChange={(value) => {
                setEmail(value);
                setCreatedId(null);
              }}
              error={errors.fields.email}
            />
            <Radios
              id="role"
              legend="Role in the team"
              hint="Managers see the team's workload. Coordinators configure the organisation."
              options={ROLE_OPTIONS}
              value={role}
              onChange={setRole}
              error={errors.fields.role}
            />
            <div className="nhsuk-form-group">
              <Checkbox
                id="contactable"
                label="Patients can message this person directly"
                checked={contactable}
                onChange={setContactable}
              />
            </div>
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              Create and add to team
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
