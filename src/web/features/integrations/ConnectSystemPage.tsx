import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Checkboxes, TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import {
  connectedSystemsPath,
  connectFieldId,
  type ConnectSystemValues,
  SCOPES,
  validateConnectSystem,
} from './connectedSystems';
import { type ConnectedSystem, createIntegrationClient, integrationKeys } from './integrationsApi';
import { SystemCredentials } from './SystemCredentials';

const TITLE = 'Connect a system';

/**
 * /organisations/:organisationId/connected-systems/new: a coordinator names a system and
 * chooses what it may read; then its client id and secret are shown, once.
 */
export function ConnectSystemPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  // The secret is kept here and nowhere else (not the address, history, storage or the query
  // cache), so it is gone once the coordinator leaves the page.
  const [connected, setConnected] = useState<ConnectedSystem | null>(null);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (connected) {
    return <SystemCredentials organisationName={organisation.name} connected={connected} />;
  }
  return (
    <ConnectForm
      organisationId={organisationId}
      organisationName={organisation.name}
      onConnected={setConnected}
    />
  );
}

function ConnectForm({
  organisationId,
  organisationName,
  onConnected,
}: {
  organisationId: string;
  organisationName: string;
  onConnected: (connected: ConnectedSystem) => void;
}) {
  const [values, setValues] = useState<ConnectSystemValues>({ name: '', scopes: [] });
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const queryClient = useQueryClient();
  usePageTitle(TITLE, errors.hasErrors);

  const connect = async (input: Parameters<typeof createIntegrationClient>[1]) => {
    setPending(true);
    try {
      // Called directly, not through useMutation, whose cache would keep the secret.
      const created = await createIntegrationClient(organisationId, input);
      void queryClient.invalidateQueries({ queryKey: integrationKeys.list(organisationId) });
      onConnected(created);
    } catch (error) {
      errors.showApiError(error, connectFieldId);
      setPending(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    errors.clear();
    const checked = validateConnectSystem(values);
    if (!checked.input) return errors.show(checked.problems);
    void connect(checked.input);
  };

  return (
    <>
      <BackLink to={connectedSystemsPath(organisationId)}>Back to connected systems</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisationName}>{TITLE}</Heading>
          <p className="nhsuk-body">
            Once the system is connected, you will see its client id and secret. Give them to the IT
            team that looks after it: the system needs both to read from Carethread.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <TextInput
              id="name"
              label="Name of the system"
              labelClassName="nhsuk-label--m"
              hint="Staff and patients see this name in audit trails, for example Ward EPR"
              width="nhsuk-input--width-20"
              autoComplete="off"
              spellCheck={false}
              value={values.name}
              onChange={(name) => setValues({ ...values, name })}
              error={errors.fields.name}
            />
            <Checkboxes
              id="scopes"
              legend="What may it read?"
              legendClassName="nhsuk-fieldset__legend--m"
              hint={`Select only what the system needs. It can read the records of patients cared for by ${organisationName}’s teams.`}
              options={SCOPES}
              values={values.scopes}
              onChange={(scopes) => setValues({ ...values, scopes })}
              error={errors.fields.scopes}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Connect system
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
