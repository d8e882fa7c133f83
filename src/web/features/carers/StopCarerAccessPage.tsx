import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { ownConversationChange } from '../conversations/useConversations';
import { carerKeys, listMyCarers, revokeConsent } from './carersApi';

/**
 * The patient confirms stopping a carer's access (C1) before it happens: it takes effect on
 * the carer's very next request, and only a new invitation and code give it back, so a
 * mistaken tap on a phone should not do it.
 */
export function StopCarerAccessPage() {
  const { consentId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const errors = useFormErrors();
  const carers = useQuery({ queryKey: carerKeys.mine, queryFn: listMyCarers });
  const consent = carers.data?.carers.find((c) => c.id === consentId && c.status === 'active');
  const name = consent?.carer.name;
  // Stopping a carer takes them out of conversations: the patient's own change, not news.
  const revoke = useMutation({
    mutationFn: () => revokeConsent(consentId),
    meta: ownConversationChange,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: carerKeys.mine });
      void navigate('/carers', {
        state: { flash: `${name ?? 'Your carer'} can no longer see your messages` },
      });
    },
  });
  usePageTitle(name ? `Stop ${name}’s access` : 'Stop a carer’s access', errors.hasErrors);

  if (carers.isPending) return <Loading />;
  if (carers.isError) return <LoadFailure error={carers.error} />;
  // Once stopped, the refreshed list has it ended: wait for the navigation.
  if (!consent && (revoke.isPending || revoke.isSuccess)) return <Loading />;
  // Already ended (Back after stopping, or it reached its last day): their list says so.
  if (!consent || !name) return <Navigate to="/carers" replace />;

  return (
    <ConfirmPage
      back={{ to: '/carers', label: 'Back to your carers' }}
      caption="Your carers"
      question={`Are you sure you want to stop ${name}’s access?`}
      errors={errors}
      confirm={`Yes, stop ${name}’s access`}
      keep={`No, keep ${name} as my carer`}
      pending={revoke.isPending}
      onConfirm={() =>
        revoke.mutate(undefined, { onError: (error) => errors.showApiError(error, () => null) })
      }
    >
      <WarningCallout title={`${name} will lose access at once`}>
        {name} will no longer see your messages or send messages for you. To give them access again,
        you will need to invite them again and give them a new code.
      </WarningCallout>
    </ConfirmPage>
  );
}
