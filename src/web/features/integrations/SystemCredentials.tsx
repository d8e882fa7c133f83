import { Link } from 'react-router';
import { CopyableValues } from '../../components/CopyableValues';
import { Heading, usePageTitle } from '../../components/Page';
import { SuccessBanner } from '../../components/SuccessBanner';
import { WarningCallout } from '../../components/WarningCallout';
import { connectedSystemsPath, scopeLabels } from './connectedSystems';
import { FhirAddresses } from './FhirAddresses';
import type { ConnectedSystem } from './integrationsApi';

const TITLE = 'Copy the client id and secret now';

/**
 * Shown once, straight after a system is connected: its client id and secret, to copy for the
 * hospital's IT team. The secret lives only in the state of the page that shows it, and goes
 * when the coordinator leaves.
 */
export function SystemCredentials({
  organisationName,
  connected,
}: {
  organisationName: string;
  connected: ConnectedSystem;
}) {
  const { client, clientSecret } = connected;
  usePageTitle(TITLE);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <SuccessBanner message={`${client.name} has been connected`} focus />
        <Heading caption={organisationName}>{TITLE}</Heading>
        <p className="nhsuk-body">
          Give the client id and secret to the IT team that looks after {client.name}, with the
          addresses below. The system needs both to get access.
        </p>
        <WarningCallout title="The secret will not be shown again">
          Copy it now and pass it on safely, for example in a password manager, not by email.
          Carethread keeps only a fingerprint of it, so nobody can see it again. If it is lost,
          disconnect {client.name} and connect it again.
        </WarningCallout>
        <CopyableValues
          items={[
            { id: 'client-id', label: 'Client id', value: client.clientId },
            { id: 'client-secret', label: 'Client secret', value: clientSecret },
          ]}
        />
        <h2 className="nhsuk-heading-s">What {client.name} may read</h2>
        <ul className="nhsuk-list nhsuk-list--bullet">
          {scopeLabels(client.scopes).map((label) => (
            <li key={label}>{label}</li>
          ))}
        </ul>
        <FhirAddresses />
        <Link className="nhsuk-button" to={connectedSystemsPath(client.organisationId)}>
          Go to connected systems
        </Link>
      </div>
    </div>
  );
}
