import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import type { Database } from '../platform/db/database';
import { organisations } from '../modules/directory/directory.schema';
import { DEMO_CLIENT_ID, DEMO_IDP_PATH, demoCis2Issuer } from '../modules/oidc/oidc.config';
import {
  DEMO_KEY_NAME,
  NHS_LOGIN_CALLBACK_PATH,
  STAFF_CALLBACK_PATH,
} from '../modules/oidc/oidc.runtime';
import { organisationSignInProviders } from '../modules/oidc/oidc.schema';
import { DEMO_ORGANISATION } from './demo-data';
import { createDemoIssuer, demoIdpHandler } from './demo-idp';
import { DEMO_CIS2_PEOPLE, DEMO_NHS_LOGIN_PEOPLE, DEMO_ODS_CODE } from './demo-idp-people';

export const NHS_LOGIN_CLAIMS = {
  profile: [
    'nhs_number',
    'identity_proofing_level',
    'vot',
    'birthdate',
    'family_name',
    'given_name',
  ],
  email: ['email', 'email_verified'],
};
export const CIS2_CLAIMS = {
  profile: ['name', 'given_name', 'family_name'],
  email: ['email', 'email_verified'],
  nationalrbacaccess: ['nhsid_nrbac_roles'],
};

/**
 * Mounts the demo identity providers on this server under /demo-idp (NHS login at
 * /demo-idp/nhs-login, CIS2 at /demo-idp/cis2), so the demo needs no other service.
 */
export async function mountDemoIdp(
  app: FastifyInstance,
  options: { db: Database; publicUrl: string; clientJwk: JWK },
): Promise<void> {
  const base = `${options.publicUrl}${DEMO_IDP_PATH}`;
  const client = (path: string, idTokenAlg: 'RS256' | 'RS512') => ({
    clientId: DEMO_CLIENT_ID,
    redirectUris: [`${options.publicUrl}${path}`],
    jwk: options.clientJwk,
    idTokenAlg,
  });
  const issuers = [
    await createDemoIssuer({
      issuer: `${base}/nhs-login`,
      serviceName: 'NHS login (demo)',
      people: DEMO_NHS_LOGIN_PEOPLE,
      claims: NHS_LOGIN_CLAIMS,
      client: client(NHS_LOGIN_CALLBACK_PATH, 'RS512'),
      extraParams: ['vtr'],
    }),
    await createDemoIssuer({
      // Trusted for staff single sign-on in demo mode (STAFF_SSO_ISSUERS, oidc.config.ts).
      issuer: demoCis2Issuer(options.publicUrl),
      serviceName: 'NHS CIS2 Authentication (demo)',
      people: DEMO_CIS2_PEOPLE,
      claims: CIS2_CLAIMS,
      client: client(STAFF_CALLBACK_PATH, 'RS256'),
    }),
  ];
  const handle = demoIdpHandler(issuers);
  await app.register(async (scope) => {
    // The provider reads its own request bodies (forms and token requests).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.all(`${DEMO_IDP_PATH}/*`, { schema: { hide: true } }, async (request, reply) => {
      reply.hijack();
      await handle(request.raw, reply.raw);
    });
  });
  // After the demo seed has run (main seeds before listening): the demo organisation's
  // staff sign in through the demo CIS2.
  app.addHook('onReady', async () => {
    await useDemoCis2(options.db, demoCis2Issuer(options.publicUrl));
  });
}

/**
 * Points the demo organisation's staff single sign-on at the demo CIS2, if it exists. A row its
 * coordinator has pointed at another issuer (the Staff single sign-on page) is left as it is;
 * one still on a demo issuer follows this server's address.
 */
export async function useDemoCis2(db: Database, issuer: string): Promise<void> {
  const [organisation] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, DEMO_ORGANISATION.slug));
  if (!organisation) return;
  await db
    .insert(organisationSignInProviders)
    .values({
      organisationId: organisation.id,
      provider: 'cis2',
      issuer,
      clientId: DEMO_CLIENT_ID,
      keyName: DEMO_KEY_NAME,
      odsCode: DEMO_ODS_CODE,
    })
    .onConflictDoUpdate({
      target: [organisationSignInProviders.organisationId, organisationSignInProviders.provider],
      set: { issuer: sql`excluded.issuer` },
      setWhere: sql`${organisationSignInProviders.issuer} like ${`%${DEMO_IDP_PATH}/%`}`,
    });
}
