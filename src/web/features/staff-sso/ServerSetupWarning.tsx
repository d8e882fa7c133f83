import { WarningCallout } from '../../components/WarningCallout';
import type { SignInProviders } from './staffSsoApi';

/** Whether the server has what single sign-on needs: a key, and an identity provider it trusts. */
export const serverReady = (providers: SignInProviders) =>
  providers.keyNames.length > 0 && providers.trustedIssuers.length > 0;

/**
 * Said plainly when the server lacks what only its administrator can add (decision 0025): the
 * identity providers it trusts (STAFF_SSO_ISSUERS) and the keys it signs with (OIDC_KEY_<NAME>).
 */
export function ServerSetupWarning({ providers }: { providers: SignInProviders }) {
  if (serverReady(providers)) return null;
  const noIssuers = providers.trustedIssuers.length === 0;
  const noKeys = providers.keyNames.length === 0;
  return (
    <WarningCallout title="Single sign-on is not ready on the server">
      {noIssuers ? (
        <>
          Carethread only lets staff sign in through identity providers its server administrator
          trusts, and none is listed yet. Ask whoever runs your Carethread server to add your
          identity provider’s issuer to the environment variable <code>STAFF_SSO_ISSUERS</code>, for
          example <code>https://login.microsoftonline.com/</code> followed by your tenant id and{' '}
          <code>/v2.0</code> for Microsoft Entra ID.{' '}
        </>
      ) : null}
      {noKeys ? (
        <>
          Carethread signs its requests to your identity provider with a private key, and none has
          been set up yet. Ask whoever runs your Carethread server to add one as an environment
          variable named <code>OIDC_KEY_</code> followed by a name of their choice, for example{' '}
          <code>OIDC_KEY_TRUST</code>, holding a PKCS#8 private key in PEM form. They give the
          matching public key to your identity provider.{' '}
        </>
      ) : null}
      Once they have restarted Carethread, you can set up single sign-on here.
    </WarningCallout>
  );
}
