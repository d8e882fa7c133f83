import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Checkbox, Select, Textarea, TextInput } from '../../components/fields';
import { WarningCallout } from '../../components/WarningCallout';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { serverReady, ServerSetupWarning } from './ServerSetupWarning';
import {
  formValues,
  isStaffSsoProvider,
  PROVIDER_NAMES,
  providerFieldId,
  type ProviderFormValues,
  staffSsoPath,
  validateProviderForm,
} from './staffSso';
import {
  type SignInProviders,
  type StaffSsoProvider,
  useSetSignInProvider,
  useSignInProviders,
} from './staffSsoApi';

/**
 * /organisations/:organisationId/staff-sign-in/:provider: a coordinator sets up or changes
 * NHS CIS2 Authentication or Microsoft Entra ID for their staff.
 */
export function StaffSsoProviderPage() {
  const { organisationId = '', provider = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const known = isStaffSsoProvider(provider);
  const providers = useSignInProviders(organisationId, organisation !== undefined && known);
  if (!organisation || !known) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (providers.isPending) return <Loading what="single sign-on settings" />;
  if (providers.isError) return <LoadFailure error={providers.error} />;
  return (
    <ProviderForm
      organisationId={organisationId}
      organisationName={organisation.name}
      provider={provider}
      providers={providers.data}
    />
  );
}

const HINTS: Record<StaffSsoProvider, { issuer: string; keyId: string }> = {
  cis2: {
    issuer:
      'The NHS CIS2 Authentication environment you registered Carethread with. Your server administrator lists the ones Carethread trusts.',
    keyId:
      'Optional. The key id (kid) you registered with NHS CIS2 Authentication, if you gave one.',
  },
  entra: {
    issuer:
      'For a single tenant, https://login.microsoftonline.com/ followed by your tenant id and /v2.0. Your server administrator lists the ones Carethread trusts.',
    keyId:
      'Optional, but Microsoft Entra ID needs it for a certificate: the certificate’s thumbprint, as the Entra admin centre shows it.',
  },
};

function ProviderForm({
  organisationId,
  organisationName,
  provider,
  providers,
}: {
  organisationId: string;
  organisationName: string;
  provider: StaffSsoProvider;
  providers: SignInProviders;
}) {
  const existing = providers.items.find((item) => item.provider === provider);
  const name = PROVIDER_NAMES[provider];
  const title = existing ? `Change ${name}` : `Set up ${name}`;
  const [values, setValues] = useState<ProviderFormValues>(() => formValues(existing, providers));
  const errors = useFormErrors();
  const save = useSetSignInProvider(organisationId, provider);
  const navigate = useNavigate();
  usePageTitle(title, errors.hasErrors);
  const listPath = staffSsoPath(organisationId);
  const set = (change: Partial<ProviderFormValues>) => setValues({ ...values, ...change });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    errors.clear();
    const checked = validateProviderForm(provider, values);
    if (!checked.input) return errors.show(checked.problems);
    save.mutate(checked.input, {
      onSuccess: () => void navigate(listPath, { state: { flash: `${name} has been saved` } }),
      onError: (error) => errors.showApiError(error, providerFieldId),
    });
  };

  return (
    <>
      <BackLink to={listPath}>Back to staff single sign-on</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisationName}>{title}</Heading>
          {!serverReady(providers) ? (
            <ServerSetupWarning providers={providers} />
          ) : (
            <>
              {existing && !existing.issuerTrusted ? (
                <WarningCallout title="The current issuer is no longer trusted">
                  This server no longer lists{' '}
                  <code className="app-break-word">{existing.issuer}</code> among the identity
                  providers it trusts. To save, choose one it trusts, or ask your server
                  administrator to add it to <code>STAFF_SSO_ISSUERS</code>.
                </WarningCallout>
              ) : null}
              <p className="nhsuk-body">
                Copy these details from where Carethread is registered with {name}. Register this
                redirect URI there:{' '}
                <code className="app-break-word">{providers.redirectUris[provider]}</code>
              </p>
              <form noValidate onSubmit={onSubmit}>
                <Select
                  id="issuer"
                  label="Issuer"
                  hint={HINTS[provider].issuer}
                  options={providers.trustedIssuers.map((issuer) => ({
                    value: issuer,
                    label: issuer,
                  }))}
                  value={values.issuer}
                  onChange={(issuer) => set({ issuer })}
                  error={errors.fields.issuer}
                />
                <TextInput
                  id="clientId"
                  label="Client id"
                  hint={`The id ${name} gave Carethread when you registered it`}
                  width="nhsuk-input--width-30"
                  autoComplete="off"
                  spellCheck={false}
                  value={values.clientId}
                  onChange={(clientId) => set({ clientId })}
                  error={errors.fields.clientId}
                />
                <Select
                  id="keyName"
                  label="Key"
                  hint="The private key Carethread signs with. Your server administrator set these up; give the identity provider the matching public key."
                  options={providers.keyNames.map((keyName) => ({
                    value: keyName,
                    label: keyName,
                  }))}
                  value={values.keyName}
                  onChange={(keyName) => set({ keyName })}
                  error={errors.fields.keyName}
                />
                <TextInput
                  id="keyId"
                  label="Key id (optional)"
                  hint={HINTS[provider].keyId}
                  width="nhsuk-input--width-30"
                  autoComplete="off"
                  spellCheck={false}
                  value={values.keyId}
                  onChange={(keyId) => set({ keyId })}
                  error={errors.fields.keyId}
                />
                {provider === 'cis2' ? (
                  <TextInput
                    id="odsCode"
                    label="ODS code"
                    hint="Your organisation’s ODS code, for example RJ1. Staff can sign in with the roles they hold at this code."
                    width="nhsuk-input--width-10"
                    autoComplete="off"
                    spellCheck={false}
                    value={values.odsCode}
                    onChange={(odsCode) => set({ odsCode })}
                    error={errors.fields.odsCode}
                  />
                ) : (
                  <Textarea
                    id="tenantAllowlist"
                    label="Tenant ids"
                    hint="One per line. Only people from these Microsoft Entra tenants can sign in. A tenant id looks like 00000000-0000-0000-0000-000000000000."
                    value={values.tenants}
                    onChange={(tenants) => set({ tenants })}
                    error={errors.fields.tenantAllowlist}
                  />
                )}
                <div className="nhsuk-form-group">
                  <Checkbox
                    id="enabled"
                    label="Staff can sign in with it now"
                    hint="Untick to stop it for a while without losing these details."
                    checked={values.enabled}
                    onChange={(enabled) => set({ enabled })}
                  />
                </div>
                <button className="nhsuk-button" type="submit" disabled={save.isPending}>
                  Save
                </button>
              </form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
