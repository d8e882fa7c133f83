import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { connectedSystemsPath } from './connectedSystems';
import { useDisconnectSystem, useIntegrationClients } from './integrationsApi';

/**
 * /organisations/:organisationId/connected-systems/:clientId/disconnect: the coordinator
 * confirms, and the system stops at once.
 */
export function DisconnectSystemPage() {
  const { organisationId = '', clientId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const systems = useIntegrationClients(organisationId, organisation !== undefined);
  const disconnect = useDisconnectSystem(organisationId);
  const navigate = useNavigate();
  const errors = useFormErrors();
  const system = systems.data?.find((s) => s.clientId === clientId);
  usePageTitle(system ? `Disconnect ${system.name}` : 'Disconnect a system', errors.hasErrors);

  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (systems.isPending) return <Loading />;
  if (systems.isError) return <LoadFailure error={systems.error} />;
  if (!system || system.revokedAt !== null) {
    // Once disconnected, the refreshed list shows it so: wait for the navigation.
    if (disconnect.isPending || disconnect.isSuccess) return <Loading />;
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  const listPath = connectedSystemsPath(organisationId);

  return (
    <ConfirmPage
      back={{ to: listPath, label: 'Back to connected systems' }}
      caption={organisation.name}
      question={`Disconnect ${system.name}?`}
      errors={errors}
      confirm={`Yes, disconnect ${system.name}`}
      keep="No, keep it connected"
      pending={disconnect.isPending}
      onConfirm={() =>
        disconnect.mutate(clientId, {
          onSuccess: () =>
            void navigate(listPath, {
              state: { flash: `${system.name} has been disconnected` },
            }),
          onError: (error) => errors.showApiError(error, () => null),
        })
      }
    >
      <p className="nhsuk-body">
        {system.name} will stop reading from Carethread straight away: its client id and secret stop
        working, and so does any access it already has.
      </p>
      <p className="nhsuk-body">
        You cannot undo this. To connect it again, you would connect it as a new system and give its
        IT team a new client id and secret.
      </p>
    </ConfirmPage>
  );
}
