import type { Config } from '../../platform/config/config';
import { type ClientSpec, importSigningKey, OidcClients } from './oidc.client';
import { refuse } from './oidc.errors';
import type { StaffSsoProvider } from './oidc.schema';

export const NHS_LOGIN_CALLBACK_PATH = '/api/v1/oidc/nhs-login/callback';
export const STAFF_CALLBACK_PATH = '/api/v1/oidc/staff/callback';
/** The key name (OIDC_KEY_DEMO) the demo organisation's CIS2 client signs with. */
export const DEMO_KEY_NAME = 'DEMO';

/** A staff provider row's client details, as stored per organisation. */
export interface StaffProviderSettings {
  provider: StaffSsoProvider;
  issuer: string;
  clientId: string;
  keyName: string;
  keyId: string | null;
}

/**
 * Everything the sign-in routes need beyond the database: discovered provider
 * configurations and our private keys, imported once. In demo mode, a key pair generated at
 * start stands in for any key the environment does not provide.
 */
export class OidcRuntime {
  readonly clients: OidcClients;
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly config: Config,
    private readonly demoKey: CryptoKey | null,
  ) {
    this.clients = new OidcClients(config.nodeEnv !== 'production');
  }

  get publicUrl(): string {
    return this.config.publicUrl;
  }

  redirectUri(path: string): string {
    return `${this.config.publicUrl}${path}`;
  }

  /**
   * The key names a staff provider may use: each OIDC_KEY_<NAME> the environment sets, and in
   * demo mode DEMO, which the generated demo key stands in for. Names only, never the keys.
   */
  keyNames(): string[] {
    const names = new Set(Object.keys(this.config.oidc.keys));
    if (this.demoKey) names.add(DEMO_KEY_NAME);
    return [...names].sort();
  }

  /** The issuers a staff provider may use: STAFF_SSO_ISSUERS, and in demo mode the demo CIS2. */
  trustedIssuers(): string[] {
    return this.config.oidc.staffIssuers;
  }

  nhsLoginEnabled(): boolean {
    return this.config.oidc.nhsLogin !== null;
  }

  async nhsLoginSpec(): Promise<ClientSpec> {
    const settings = this.config.oidc.nhsLogin;
    if (!settings) throw refuse('oidc.not_configured');
    return {
      issuer: settings.issuer,
      clientId: settings.clientId,
      keyId: settings.keyId,
      keyName: 'NHS_LOGIN',
      // NHS login signs ID tokens with RS512 and expects our assertions in RS512.
      idTokenAlg: 'RS512',
      privateKey: await this.key('NHS_LOGIN', settings.privateKeyPem, 'RS512'),
    };
  }

  async staffSpec(settings: StaffProviderSettings): Promise<ClientSpec> {
    const pem = this.config.oidc.keys[settings.keyName] ?? null;
    return {
      issuer: settings.issuer,
      clientId: settings.clientId,
      keyId: settings.keyId,
      keyName: `STAFF_${settings.keyName}`,
      idTokenAlg: 'RS256',
      x5t: settings.provider === 'entra',
      privateKey: await this.key(`STAFF_${settings.keyName}`, pem, 'RS256'),
    };
  }

  private key(name: string, pem: string | null, alg: 'RS256' | 'RS512'): Promise<CryptoKey> {
    if (pem === null) {
      if (this.demoKey) return Promise.resolve(this.demoKey);
      return Promise.reject(refuse('oidc.not_configured'));
    }
    let found = this.keys.get(name);
    if (!found) {
      found = importSigningKey(pem, alg);
      this.keys.set(name, found);
    }
    return found;
  }
}
