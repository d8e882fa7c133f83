import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair } from 'jose';
import type { AppDeps } from '../../platform/deps';
import { ConfigError } from '../../platform/config/config';
import { isDemoIssuer } from './oidc.config';
import { OidcRuntime } from './oidc.runtime';
import { organisationSignInProviders } from './oidc.schema';

/**
 * Prepares NHS login and staff single sign-on: the runtime the routes use, the demo
 * identity provider when configured, and — in production — a refusal to start if any
 * organisation still points at a demo issuer.
 */
export async function setUpOidc(app: FastifyInstance, deps: AppDeps): Promise<OidcRuntime> {
  const { config } = deps;
  if (!config.oidc.demoIdp) {
    if (config.nodeEnv === 'production') {
      app.addHook('onReady', async () => {
        const rows = await deps.db
          .select({ issuer: organisationSignInProviders.issuer })
          .from(organisationSignInProviders);
        if (rows.some((row) => isDemoIssuer(row.issuer))) {
          throw new ConfigError([
            'an organisation’s single sign-on points at the demo identity provider (/demo-idp/): configure its real issuer',
          ]);
        }
      });
    }
    return new OidcRuntime(config, null);
  }
  // Demo: one key pair, generated now, is our client key; the demo provider trusts its public half.
  const pair = await generateKeyPair('RS512', { modulusLength: 2048, extractable: true });
  const { mountDemoIdp } = await import('../../demo/demo-idp-mount');
  await mountDemoIdp(app, {
    db: deps.db,
    publicUrl: config.publicUrl,
    clientJwk: { ...(await exportJWK(pair.publicKey)), alg: 'RS512', use: 'sig' },
  });
  return new OidcRuntime(config, pair.privateKey);
}
