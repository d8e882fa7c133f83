import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { isStaffSsoProvider, PROVIDER_NAMES, staffSsoPath } from './staffSso';
import { useRemoveSignInProvider, useSignInProviders } from './staffSsoApi';

/**
 * /organisations/:organisationId/staff-sign-in/:provider/remove: the coordinator confirms, and
 * staff can no longer start signing in with that provider.
 */
export function RemoveStaffSsoPage() {
  const { organisationId = '', provider: raw = '' } = useParams();
  const provider = isStaffSsoProvider(raw) ? raw : 'cis2';
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const providers = useSignInProviders(organisationId, organisation !== undefined);
  const remove = useRemoveSignInProvider(organisationId, provider);
  const navigate = useNavigate();
  const errors = useFormErrors();
  const name = PROVIDER_NAMES[provider];
  usePageTitle(`Remove ${name}`, errors.hasErrors);

  if (!organisation || !isStaffSsoProvider(raw)) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  if (providers.isPending) return <Loading what="single sign-on settings" />;
  if (providers.isError) return <LoadFailure error={providers.error} />;
  if (!providers.data.items.some((item) => item.provider === provider)) {
    // Once removed, the refreshed list no longer has it: wait for the navigation.
    if (remove.isPending || remove.isSuccess) return <Loading what="single sign-on settings" />;
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  const listPath = staffSsoPath(organisationId);

  return (
    <ConfirmPage
      back={{ to: listPath, label: 'Back to staff single sign-on' }}
      caption={organisation.name}
      question={`Remove ${name}?`}
      errors={errors}
      confirm={`Yes, remove ${name}`}
      keep="No, keep it"
      pending={remove.isPending}
      onConfirm={() =>
        remove.mutate(undefined, {
          onSuccess: () =>
            void navigate(listPath, { state: { flash: `${name} has been removed` } }),
          onError: (error) => errors.showApiError(error, () => null),
        })
      }
    >
      <p className="nhsuk-body">
        Staff will no longer be able to sign in to Carethread with {name}. Anyone signed in with it
        now stays signed in until their session ends.
      </p>
      <p className="nhsuk-body">
        Staff with a Carethread password can still sign in with it. To set up {name} again, you will
        need its details again.
      </p>
    </ConfirmPage>
  );
}
