import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { chooseStaffRole, getRoleChoice } from './oidcApi';
import { sessionKey } from './useSession';

/** After NHS CIS2: a professional with several roles chooses the one to work in. */
export function ChooseRolePage() {
  const errors = useFormErrors();
  usePageTitle('Choose your role', errors.hasErrors);
  const roles = useQuery({ queryKey: ['role-choice'], queryFn: getRoleChoice, retry: false });
  const [roleId, setRoleId] = useState<string | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  const choose = useMutation({
    mutationFn: chooseStaffRole,
    onSuccess: (session) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      client.setQueryData(sessionKey, session);
      void navigate('/', { replace: true });
    },
    onError: (error) => errors.showApiError(error),
  });

  if (roles.isPending) return <Loading />;
  if (roles.isError) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <Heading>Your sign-in timed out</Heading>
          <p className="nhsuk-body">
            Choosing a role must be done within 10 minutes of signing in.
          </p>
          <p className="nhsuk-body">
            <Link to="/sign-in">Sign in again</Link>
          </p>
        </div>
      </div>
    );
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!roleId)
      return errors.show([{ href: 'roleId', message: 'Choose the role you are working in' }]);
    choose.mutate(roleId);
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
        <Heading>Choose your role</Heading>
        <p className="nhsuk-body">
          Your smartcard has more than one role. Carethread will show you the teams of the
          organisation your role is for.
        </p>
        <form noValidate onSubmit={onSubmit}>
          <Radios
            id="roleId"
            legend="Which role are you working in today?"
            legendClassName="nhsuk-fieldset__legend--m"
            options={roles.data.roles.map((r) => ({
              value: r.roleId,
              label: `${r.roleName}, ${r.organisationName}`,
            }))}
            value={roleId}
            onChange={setRoleId}
            error={errors.fields.roleId}
          />
          <button className="nhsuk-button" type="submit" disabled={choose.isPending}>
            Continue
          </button>
        </form>
      </div>
    </div>
  );
}
