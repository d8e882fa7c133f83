import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { explainCancelFailure } from './cancelFailure';
import { cancelInvitation, carerKeys, listMyCarers } from './carersApi';

/**
 * The patient confirms cancelling an invitation to a carer that is still waiting (C1), as
 * they confirm stopping a carer's access: the code they handed over stops working, and only
 * a new invitation with a new code can take its place, so a mistaken tap should not do it.
 */
export function CancelInvitationPage() {
  const { invitationId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const errors = useFormErrors();
  const carers = useQuery({ queryKey: carerKeys.mine, queryFn: listMyCarers });
  const invitation = carers.data?.invitations.find((i) => i.id === invitationId);
  const email = invitation?.email;
  const cancel = useMutation({
    mutationFn: () => cancelInvitation(invitationId),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: carerKeys.mine });
      void navigate('/carers', {
        state: { flash: `The invitation to ${email ?? 'your carer'} has been cancelled` },
      });
    },
  });
  usePageTitle(
    email ? `Cancel the invitation to ${email}` : 'Cancel a carer invitation',
    errors.hasErrors,
  );

  if (carers.isPending) return <Loading />;
  if (carers.isError) return <LoadFailure error={carers.error} />;
  // Once cancelled, the refreshed list no longer has it: wait for the navigation.
  if (!invitation && (cancel.isPending || cancel.isSuccess)) return <Loading />;
  // No longer waiting (Back after cancelling, accepted, or its code ran out): the list says so.
  if (!invitation || !email) return <Navigate to="/carers" replace />;

  const onConfirm = () =>
    cancel.mutate(undefined, {
      onError: explainCancelFailure(
        errors,
        `${email} has already accepted this invitation and is now your carer. To stop their access, go back to your carers and choose Stop access.`,
      ),
    });

  return (
    <ConfirmPage
      back={{ to: '/carers', label: 'Back to your carers' }}
      caption="Your carers"
      question={`Are you sure you want to cancel the invitation to ${email}?`}
      errors={errors}
      confirm="Yes, cancel the invitation"
      keep="No, keep the invitation"
      pending={cancel.isPending}
      onConfirm={onConfirm}
    >
      <WarningCallout title="The code will stop working">
        The code for this invitation will no longer work, so {email} will not become your carer. To
        ask them again, you will need to invite them again and give them the new code.
      </WarningCallout>
    </ConfirmPage>
  );
}
