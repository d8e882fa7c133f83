import { WarningCallout } from '../../components/WarningCallout';

/** Said plainly when the server holds no key: nothing can be set up until its administrator adds one. */
export function NoKeysWarning() {
  return (
    <WarningCallout title="No keys are set up on the server">
      Carethread signs its requests to your identity provider with a private key, and none has been
      set up yet. Ask whoever runs your Carethread server to add one as an environment variable
      named <code>OIDC_KEY_</code> followed by a name of their choice, for example{' '}
      <code>OIDC_KEY_TRUST</code>, holding a PKCS#8 private key in PEM form, and to restart
      Carethread. They give the matching public key to your identity provider. You can then set up
      single sign-on here.
    </WarningCallout>
  );
}
