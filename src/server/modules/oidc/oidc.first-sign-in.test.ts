import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, randomTestNhsNumber } from '../../../../test/factories';
import { buildTestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import { type RogueIdp, startRogueIdp } from './oidc.rogue-idp';
import { callbackWith, clientKey, redirectOf, TEST_CLIENT_ID } from './oidc.test-support';

/**
 * A person's very first NHS login, twice at once (a double tap, two tabs): each callback
 * would make the same records, and the one that lost the race failed with a server error.
 * Both sign in, and the person has one record and one NHS login link.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a first NHS login twice at once (C5)', () => {
  const idps: RogueIdp[] = [];
  afterAll(async () => {
    await Promise.all(idps.map((idp) => idp.close()));
  });

  it('signs in both, with one record and one link, new or made by the hospital', async () => {
    const key = await clientKey();
    for (let round = 0; round < 4; round += 1) {
      const sub = crypto.randomUUID();
      const nhsNumber = randomTestNhsNumber();
      const idp = await startRogueIdp({
        clientId: TEST_CLIENT_ID,
        sub,
        claims: {
          nhs_number: nhsNumber,
          identity_proofing_level: 'P9',
          birthdate: '1950-04-01',
          given_name: 'Twice',
          family_name: 'At Once',
        },
      });
      idps.push(idp);
      const app = await buildTestApp({
        env: {
          NHS_LOGIN_ISSUER: idp.url,
          NHS_LOGIN_CLIENT_ID: TEST_CLIENT_ID,
          NHS_LOGIN_PRIVATE_KEY: key.pem,
        },
      });
      try {
        // Every other round the hospital has already made the record the login claims.
        if (round % 2 === 1) {
          const org = await createOrganisation(app.db);
          await createPatient(app.db, [org.id], { nhsNumber });
        }
        const start = async () => {
          const begun = redirectOf(
            await app.app.inject({ method: 'GET', url: '/api/v1/oidc/nhs-login/start' }),
          );
          const answer = await fetch(begun.location, { redirect: 'manual' });
          return {
            callback: new URL(answer.headers.get('location')!),
            flow: begun.cookie('carethread_oidc')!,
          };
        };
        const [a, b] = [await start(), await start()];
        const results = await Promise.all([
          callbackWith(app.app, a.callback, a.flow),
          callbackWith(app.app, b.callback, b.flow),
        ]);
        for (const result of results) {
          expect(result.location).toBe('/');
          expect(result.session).not.toBeNull();
        }
        const records = await queryRows<{ patients: number; links: number }>(
          app.db,
          sql`select (select count(*)::int from patients where nhs_number = ${nhsNumber}) as patients,
                     (select count(*)::int from sign_in_methods where subject = ${sub}) as links`,
        );
        expect(records).toEqual([{ patients: 1, links: 1 }]);
      } finally {
        await app.close();
      }
    }
  });
});
