import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useUser } from '../session/useSession';
import {
  connectedSystemsPath,
  disconnectPath,
  formatDay,
  notificationState,
  scopeLabels,
} from './connectedSystems';
import { FhirAddresses } from './FhirAddresses';
import { type IntegrationClient, useIntegrationClients } from './integrationsApi';

const TITLE = 'Connected systems';

/**
 * /organisations/:organisationId/connected-systems: a coordinator sees the hospital systems
 * that read the organisation's records through the FHIR API, connects and disconnects them.
 */
export function ConnectedSystemsPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const location = useLocation();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const systems = useIntegrationClients(organisationId, organisation !== undefined);
  const flash = flashFrom(location.state);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (systems.isPending) return <Loading what="connected systems" />;
  if (systems.isError) return <LoadFailure error={systems.error} />;
  const organisationName = organisation.name;

  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={organisationName}>{TITLE}</Heading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p className="nhsuk-body">
            A connected system is one of your hospital’s own computer systems, such as an electronic
            patient record, that reads what is kept in Carethread so that staff do not have to copy
            it across. It can only read, and only what you allow. If you allow it, it can also ask
            to be told at its own address when a new message arrives: it is told which message,
            never what it says.
          </p>
          <p className="nhsuk-body">
            It sees the records of patients cared for by {organisationName}’s teams. Each record it
            reads is listed under the system’s name when patients check who has seen their record.
          </p>
          <Link className="nhsuk-button" to={`${connectedSystemsPath(organisationId)}/new`}>
            Connect a system
          </Link>
        </div>
      </div>
      {systems.data.length === 0 ? (
        <p className="nhsuk-body">No systems are connected to {organisationName}.</p>
      ) : (
        <Table
          caption={`Systems connected to ${organisationName}`}
          captionHidden
          headings={[
            'System',
            'What it may read',
            'Told of new messages at',
            'Connected',
            'Status',
            hidden('Actions'),
          ]}
        >
          {systems.data.map((system) => (
            <SystemRow key={system.clientId} system={system} />
          ))}
        </Table>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <FhirAddresses />
        </div>
      </div>
    </>
  );
}

function SystemRow({ system }: { system: IntegrationClient }) {
  return (
    <Row>
      <Cell heading="System">
        <span className="app-break-word">{system.name}</span>
      </Cell>
      <Cell heading="What it may read">
        <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
          {scopeLabels(system.scopes).map((label) => (
            <li key={label}>{label}</li>
          ))}
        </ul>
      </Cell>
      <Cell heading="Told of new messages at">
        {system.notifications.length === 0 ? (
          'Nowhere'
        ) : (
          <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
            {system.notifications.map((target) => {
              const { label, tag } = notificationState(target.state);
              return (
                <li key={target.subscriptionId}>
                  <span className="app-break-word">{target.host}</span>{' '}
                  <strong className={`nhsuk-tag nhsuk-tag--${tag}`}>{label}</strong>
                  {target.problem ? (
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{target.problem}</div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Cell>
      <Cell heading="Connected">
        {formatDay(system.createdAt)}
        {system.createdBy ? ` by ${system.createdBy}` : null}
      </Cell>
      <Cell heading="Status">
        {system.revokedAt === null ? (
          <strong className="nhsuk-tag nhsuk-tag--green">Connected</strong>
        ) : (
          <>
            <strong className="nhsuk-tag nhsuk-tag--grey">Disconnected</strong>{' '}
            <span className="app-nowrap">on {formatDay(system.revokedAt)}</span>
          </>
        )}
      </Cell>
      <Cell>
        {system.revokedAt === null ? (
          <Link to={disconnectPath(system.organisationId, system.clientId)}>
            Disconnect{hidden(` ${system.name}`)}
          </Link>
        ) : null}
      </Cell>
    </Row>
  );
}
