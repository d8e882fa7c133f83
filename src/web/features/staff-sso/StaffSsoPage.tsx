import type { ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { CopyableValues } from '../../components/CopyableValues';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { hidden } from '../../components/Table';
import { useUser } from '../session/useSession';
import { serverReady, ServerSetupWarning } from './ServerSetupWarning';
import { PROVIDER_NAMES, PROVIDERS, providerPath, removeProviderPath } from './staffSso';
import { type SignInProvider, type StaffSsoProvider, useSignInProviders } from './staffSsoApi';

const TITLE = 'Staff single sign-on';

/**
 * /organisations/:organisationId/staff-sign-in: a coordinator sees how their staff sign in
 * with NHS CIS2 Authentication or Microsoft Entra ID, sets either up, changes or removes it.
 */
export function StaffSsoPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const location = useLocation();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const providers = useSignInProviders(organisationId, organisation !== undefined);
  const flash = flashFrom(location.state);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (providers.isPending) return <Loading what="single sign-on settings" />;
  if (providers.isError) return <LoadFailure error={providers.error} />;
  const { items, redirectUris } = providers.data;

  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={organisation.name}>{TITLE}</Heading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p className="nhsuk-body">
            Staff can sign in to Carethread with the account they already use at work, instead of a
            Carethread password. Set up NHS CIS2 Authentication (smartcard and NHS Identity), or
            Microsoft Entra ID (your organisation’s Microsoft 365 account), or both.
          </p>
          <p className="nhsuk-body">
            Only staff already in your teams can sign in this way. Every change you make here is
            recorded with your name, and is used from the next sign-in.
          </p>
          <ServerSetupWarning providers={providers.data} />
          <h2 className="nhsuk-heading-m">Redirect URI</h2>
          <p className="nhsuk-body">
            When you register Carethread with your identity provider, give it this redirect URI. It
            is the same for both.
          </p>
          <CopyableValues
            items={[{ id: 'redirect-uri', label: 'Redirect URI', value: redirectUris.cis2 }]}
          />
          {PROVIDERS.map((provider) => (
            <ProviderSummary
              key={provider}
              organisationId={organisationId}
              provider={provider}
              settings={items.find((item) => item.provider === provider)}
              canSetUp={serverReady(providers.data)}
            />
          ))}
        </div>
      </div>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

function ProviderSummary({
  organisationId,
  provider,
  settings,
  canSetUp,
}: {
  organisationId: string;
  provider: StaffSsoProvider;
  settings: SignInProvider | undefined;
  canSetUp: boolean;
}) {
  const name = PROVIDER_NAMES[provider];
  const headingId = `${provider}-heading`;
  if (!settings) {
    return (
      <section aria-labelledby={headingId}>
        <h2 className="nhsuk-heading-m" id={headingId}>
          {name}
        </h2>
        <p className="nhsuk-body">
          <strong className="nhsuk-tag nhsuk-tag--grey">Not set up</strong>
        </p>
        {canSetUp ? (
          <Link
            className="nhsuk-button nhsuk-button--secondary"
            to={providerPath(organisationId, provider)}
          >
            Set up {name}
          </Link>
        ) : null}
      </section>
    );
  }
  return (
    <section aria-labelledby={headingId}>
      <h2 className="nhsuk-heading-m" id={headingId}>
        {name}
      </h2>
      <dl className="nhsuk-summary-list" id={`${provider}-settings`}>
        <Row label="Status">
          {settings.enabled ? (
            <strong className="nhsuk-tag nhsuk-tag--green">On</strong>
          ) : (
            <strong className="nhsuk-tag nhsuk-tag--grey">Off</strong>
          )}
        </Row>
        <Row label="Issuer">
          <code className="app-break-word">{settings.issuer}</code>
          {settings.issuerTrusted ? null : (
            <p className="nhsuk-body nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
              <strong className="nhsuk-tag nhsuk-tag--orange">No longer trusted</strong> This server
              no longer lists it among the identity providers it trusts: change it to one it does.
            </p>
          )}
        </Row>
        <Row label="Client id">
          <code className="app-break-word">{settings.clientId}</code>
        </Row>
        <Row label="Key">{settings.keyName}</Row>
        <Row label="Key id">
          {settings.keyId ? <code className="app-break-word">{settings.keyId}</code> : 'None'}
        </Row>
        {provider === 'cis2' ? (
          <Row label="ODS code">{settings.odsCode}</Row>
        ) : (
          <Row label="Tenant ids">
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {settings.tenantAllowlist.map((tenant) => (
                <li key={tenant}>
                  <code className="app-break-word">{tenant}</code>
                </li>
              ))}
            </ul>
          </Row>
        )}
      </dl>
      <p className="nhsuk-body">
        <Link to={providerPath(organisationId, provider)}>Change{hidden(` ${name}`)}</Link>
      </p>
      <p className="nhsuk-body">
        <Link to={removeProviderPath(organisationId, provider)}>Remove{hidden(` ${name}`)}</Link>
      </p>
    </section>
  );
}
