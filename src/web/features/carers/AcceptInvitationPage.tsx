import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { acceptInvitation, carerKeys } from './carersApi';

/** The carer, signed in with their own account (P9, C5), accepts with the code they were given. */
export function AcceptInvitationPage() {
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  usePageTitle('Accept a carer invitation', errors.hasErrors);
  const accept = useMutation({ mutationFn: acceptInvitation });

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return errors.show([{ href: 'code', message: 'Enter the invitation code' }]);
    accept.mutate(code.trim(), {
      onSuccess: (result) => {
        void client.invalidateQueries({ queryKey: carerKeys.caredFor });
        void navigate(`/cared-for/${result.patient.id}`, {
          state: { flash: `You are now a carer for ${result.patient.name}` },
        });
      },
      onError: (error) => errors.showApiError(error, (key) => (key === 'code' ? 'code' : null)),
    });
  };

  return (
    <>
      <BackLink to="/cared-for">Back to people you care for</BackLink>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Accept a carer invitation</Heading>
      <p className="nhsuk-body">
        The person who invited you will have given you a code. You sign in with your own account and
        are always shown as yourself.
      </p>
      <form noValidate onSubmit={onSubmit}>
        <TextInput
          id="code"
          label="Invitation code"
          hint="12 letters and numbers, for example ABCD-EFGH-JKMN"
          value={code}
          onChange={setCode}
          autoComplete="off"
          spellCheck={false}
          width="nhsuk-input--width-20"
          error={errors.fields.code}
        />
        <button className="nhsuk-button" type="submit" disabled={accept.isPending}>
          Accept invitation
        </button>
      </form>
    </>
  );
}
