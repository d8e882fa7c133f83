import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { inFlight, race, waitsForLock, withGate } from '../../../../test/lock-race';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { CIS2_CLAIMS } from '../../demo/demo-idp-mount';
import type { DemoPerson } from '../../demo/demo-idp-people';
import { queryRows } from '../../platform/db/database';
import { professionals, teamMemberships } from '../directory/directory.schema';
import { STAFF_CALLBACK_PATH } from '../oidc/oidc.runtime';
import { organisationSignInProviders } from '../oidc/oidc.schema';
import {
  clientKey,
  type LoopbackServer,
  loopbackIssuers,
  redirectOf,
  signInAtProvider,
  TEST_CLIENT_ID,
} from '../oidc/oidc.test-support';
import { patientRegistrations, patients } from '../patients/patients.schema';
import type { ImportResult } from './onboarding.contracts';
import { INVITATION_KINDS } from './onboarding.people';

/**
 * A professional's first single sign-on (C5), which makes their user, at the moment a
 * coordinator's file (decision 0012) adds them to another team, which makes the same user so
 * the invitation can find it. Whichever makes it second must not answer 500: the sign-in
 * signs in with the user the import made; the import uses the user the sign-in made, or, if it
 * ran into one it could not see, imports nothing and says to upload the file again (409,
 * audited). Either way there is one user, with the sign-in's method and the invitation.
 * They used to take each other's locks in opposite orders (the import: the organisation's
 * row, then its audit chain; the sign-in: the chain, then the row, through its session), so
 * PostgreSQL ended one as a deadlock, and with a few at once the import ran out of retries.
 */

const ODS = 'RSR01';
const PEOPLE = 10;
const people: DemoPerson[] = Array.from({ length: PEOPLE }, (_, i) => {
  const key = crypto.randomUUID().slice(0, 8);
  return {
    sub: `cis2-race-${i}-${key}`,
    label: `race ${i}`,
    hint: `race ${i}`,
    claims: {
      email: `race.${i}.${key}@trust.nhs.uk`,
      email_verified: true,
      nhsid_nrbac_roles: [
        {
          person_roleid: `55500000${String(i).padStart(4, '0')}`,
          org_code: ODS,
          role_code: 'S8000:G8000:R8001',
          role_name: '"Clinical":"Clinical Provision":"Nurse Access Role"',
        },
      ],
    },
  };
});
let next = 0;
const nextPerson = () => {
  const person = people[next++];
  if (!person) throw new Error('make more people: the provider knows only those made first');
  return person;
};

let t: TestApp;
let server: LoopbackServer;
let organisationId: string;
let wardSlug: string;
let clinicId: string;
let coordinator: Client;

beforeAll(async () => {
  const key = await clientKey();
  const loopback = await loopbackIssuers([
    {
      name: 'cis2',
      people,
      claims: CIS2_CLAIMS,
      key,
      callbackPath: STAFF_CALLBACK_PATH,
      idTokenAlg: 'RS256',
    },
  ]);
  server = loopback.server;
  t = await buildTestApp({ env: { OIDC_KEY_TEST: key.pem } });
  const organisation = await createOrganisation(t.db, 'Race Trust');
  organisationId = organisation.id;
  await t.db.insert(organisationSignInProviders).values({
    organisationId,
    provider: 'cis2',
    issuer: loopback.issuers.cis2!.issuer,
    clientId: TEST_CLIENT_ID,
    keyName: 'TEST',
    odsCode: ODS,
    tenantAllowlist: [],
  });
  const admin = await createTeam(t.db, organisationId, { contactable: false });
  clinicId = (await createTeam(t.db, organisationId)).id;
  wardSlug = (await createTeam(t.db, organisationId)).slug;
  const lead = await createProfessional(t.db, organisationId, [
    { teamId: admin.id, role: 'coordinator' },
  ]);
  coordinator = await signIn(t.app, lead.email);
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

/** Someone added by hand, in the clinic: known to the directory, never signed in, no user. */
async function addedByHand(person: DemoPerson): Promise<string> {
  const [row] = await t.db
    .insert(professionals)
    .values({
      organisationId,
      name: person.label,
      jobTitle: 'Staff Nurse',
      email: person.claims.email as string,
    })
    .returning({ id: professionals.id });
  await t.db
    .insert(teamMemberships)
    .values({ teamId: clinicId, professionalId: row!.id, role: 'member' });
  return row!.id;
}

/** The sign-in up to our callback: what the browser brings back from the provider. */
async function atCallback(person: DemoPerson): Promise<() => Promise<LightMyRequestResponse>> {
  const start = redirectOf(
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/oidc/staff/start?organisationId=${organisationId}`,
    }),
  );
  const flow = start.cookie('carethread_oidc');
  const callback = await signInAtProvider(start.location, person.sub);
  return () =>
    t.app.inject({
      method: 'GET',
      url: callback.pathname + callback.search,
      headers: { cookie: `carethread_oidc=${flow}` },
    });
}

const wardFile = (...who: DemoPerson[]) =>
  [
    'Name,Job title,Email,Team,Role,Contactable',
    ...who.map((p) => `${p.label},Staff Nurse,${String(p.claims.email)},${wardSlug},member,yes`),
  ].join('\r\n');

const importFile = (csv: string) =>
  coordinator.request({
    method: 'POST',
    url: `/api/v1/organisations/${organisationId}/imports/staff`,
    payload: { csv },
  });

/** The one user a professional or patient has (or none), its sign-in methods and invitations. */
async function usersOf(id: string, who: 'staff' | 'patient' = 'staff') {
  const person = sql.raw(who === 'staff' ? 'u.professional_id' : 'u.patient_id');
  return queryRows<{ methods: string[]; invitations: number }>(
    t.db,
    sql`select coalesce((select array_agg(provider::text) from sign_in_methods s
                          where s.user_id = u.id), '{}') as methods,
               (select count(*)::int from outbox o
                 where o.recipient_user_id = u.id and o.kind = ${INVITATION_KINDS[who]})
                 as invitations
          from users u where ${person} = ${id}`,
  );
}

const inWard = async (professionalId: string) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from team_memberships m join teams on teams.id = m.team_id
           where m.professional_id = ${professionalId} and teams.slug = ${wardSlug}`,
    )
  )[0]?.n;

const rejections = (csv: string) =>
  queryRows<{ code: string }>(
    t.db,
    sql`select details->>'code' as code from audit_events
         where action = 'onboarding.import_rejected' and organisation_id = ${organisationId}
           and details->>'fileSha256' = ${createHash('sha256').update(csv).digest('hex')}`,
  );

function expectSignedIn(response: LightMyRequestResponse) {
  const done = redirectOf(response);
  expect(done.location).toBe('/');
  expect(done.cookie('carethread_session')).toBeDefined();
}

describe('a first single sign-on and an import making the same user at once (C5, decision 0012)', () => {
  it('in parallel, neither answers 500; one user, signed in, in the ward once imported', async () => {
    const racers = Array.from({ length: 4 }, () => nextPerson());
    const ids = await Promise.all(racers.map(addedByHand));
    const callbacks = await Promise.all(racers.map(atCallback));
    const csvs = racers.map((p) => wardFile(p));

    const answers = await Promise.all(
      racers.flatMap((_, i) => [callbacks[i]!(), importFile(csvs[i]!)]),
    );

    for (const [i, id] of ids.entries()) {
      const [sso, imported] = [answers[2 * i]!, answers[2 * i + 1]!];
      expectSignedIn(sso);
      const [user, ...more] = await usersOf(id);
      expect(more).toEqual([]);
      expect(user?.methods).toEqual(['cis2']);
      if (imported.statusCode === 200) {
        expect(imported.json<ImportResult>()).toMatchObject({
          outcome: 'imported',
          counts: { created: 0, linked: 1, invitations: 1 },
        });
        expect(await inWard(id)).toBe(1);
        expect(user?.invitations).toBe(1);
      } else {
        expect(imported.statusCode, imported.body).toBe(409);
        expect(imported.json()).toMatchObject({ code: 'onboarding.signed_in_meanwhile' });
        expect(await inWard(id)).toBe(0);
        expect(await rejections(csvs[i]!)).toEqual([{ code: 'onboarding.signed_in_meanwhile' }]);
      }
    }
  });
});

/**
 * The same, each way round, made to happen: a third transaction (the gate) holds a lock, so
 * the first request stops just after making the user, and the second comes to wait for it.
 * PGlite has one connection, so only PostgreSQL runs these.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('each way round (C5, decision 0012)', () => {
  it('the import makes the user first: the sign-in waits, then signs in with it', async () => {
    const person = nextPerson();
    const other = nextPerson();
    const id = await addedByHand(person);
    const otherId = await addedByHand(other);
    const sso = await atCallback(person);
    // The import stops at the file's second person, its first one's user made and held.
    const raced = await race(
      t.db,
      (tx) => tx.execute(sql`select 1 from professionals where id = ${otherId} for update`),
      () => importFile(wardFile(person, other)),
      sso,
      { secondWaits: true },
    );

    expect(raced.first.statusCode, raced.first.body).toBe(200);
    expect(raced.first.json<ImportResult>()).toMatchObject({ counts: { linked: 2 } });
    expectSignedIn(raced.second);
    expect(await usersOf(id)).toEqual([{ methods: ['cis2'], invitations: 1 }]);
  });

  it('the sign-in makes the user first: the import waits, then invites that user', async () => {
    const person = nextPerson();
    const id = await addedByHand(person);
    const sso = await atCallback(person);
    // The sign-in stops at its audit, its user made and held.
    const raced = await race(
      t.db,
      (tx) =>
        tx.execute(
          sql`insert into audit_chain_heads (chain_key, seq, hash)
              values (${`organisation:${organisationId}`}, 0, ${'0'.repeat(64)})
              on conflict (chain_key) do update set seq = audit_chain_heads.seq`,
        ),
      sso,
      () => importFile(wardFile(person)),
      { secondWaits: true },
    );

    expectSignedIn(raced.first);
    expect(raced.second.statusCode, raced.second.body).toBe(200);
    expect(raced.second.json<ImportResult>()).toMatchObject({ counts: { linked: 1 } });
    expect(await usersOf(id)).toEqual([{ methods: ['cis2'], invitations: 1 }]);
  });

  it('a user made elsewhere while the import writes: the import is refused whole, audited', async () => {
    const person = nextPerson();
    const id = await addedByHand(person);
    const csv = wardFile(person);
    // The gate makes the person's user, as a sign-in does, and holds it until the import
    // has looked for it, not found it, and run into it.
    const response = await withGate(
      t.db,
      (tx) => tx.execute(sql`insert into users (professional_id) values (${id})`),
      async (release) => {
        const flight = inFlight(importFile(csv));
        expect(await waitsForLock(t.db, flight, 1), 'the import waits for the user').toBe(true);
        await release();
        return flight.response;
      },
    );

    expect(response.statusCode, response.body).toBe(409);
    expect(response.json()).toMatchObject({ code: 'onboarding.signed_in_meanwhile' });
    expect(response.json<{ detail: string }>().detail).toMatch(/upload the file again/i);
    expect(await inWard(id)).toBe(0);
    expect(await usersOf(id)).toEqual([{ methods: [], invitations: 0 }]);
    expect(await rejections(csv)).toEqual([{ code: 'onboarding.signed_in_meanwhile' }]);

    const again = await importFile(csv);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<ImportResult>()).toMatchObject({ counts: { linked: 1, invitations: 1 } });
  });

  it('a patient’s user made elsewhere while their import writes: refused whole too, audited', async () => {
    // On record through another organisation, never signed in: no user yet.
    const nhsNumber = randomTestNhsNumber();
    const [patient] = await t.db
      .insert(patients)
      .values({
        nhsNumber,
        givenName: 'Rita',
        familyName: 'Racer',
        dateOfBirth: '1961-03-04',
        email: `rita.${nhsNumber}@example.test`,
        identityLevel: 'P5',
      })
      .returning({ id: patients.id });
    const elsewhere = await createOrganisation(t.db);
    await t.db
      .insert(patientRegistrations)
      .values({ patientId: patient!.id, organisationId: elsewhere.id });
    const csv = [
      'NHS number,Given name,Family name,Date of birth,Email',
      `${nhsNumber},Rita,Racer,1961-03-04,`,
    ].join('\r\n');
    const importPatients = () =>
      coordinator.request({
        method: 'POST',
        url: `/api/v1/organisations/${organisationId}/imports/patients`,
        payload: { csv },
      });
    const registeredHere = async () =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from patient_registrations
               where patient_id = ${patient!.id} and organisation_id = ${organisationId}`,
        )
      )[0]?.n;
    // The gate makes the patient's user without locking their record, as a first NHS login
    // (which locks it first, so waits for the import) should never do, and holds it until the
    // import has looked for it, not found it, and run into it: users_patient_id_unique.
    const response = await withGate(
      t.db,
      (tx) => tx.execute(sql`insert into users (patient_id) values (${patient!.id})`),
      async (release) => {
        const flight = inFlight(importPatients());
        expect(await waitsForLock(t.db, flight, 1), 'the import waits for the user').toBe(true);
        await release();
        return flight.response;
      },
    );

    expect(response.statusCode, response.body).toBe(409);
    expect(response.json()).toMatchObject({ code: 'onboarding.signed_in_meanwhile' });
    expect(await registeredHere()).toBe(0);
    expect(await usersOf(patient!.id, 'patient')).toEqual([{ methods: [], invitations: 0 }]);
    expect(await rejections(csv)).toEqual([{ code: 'onboarding.signed_in_meanwhile' }]);

    const again = await importPatients();
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<ImportResult>()).toMatchObject({ counts: { linked: 1, invitations: 1 } });
    expect(await registeredHere()).toBe(1);
    expect(await usersOf(patient!.id, 'patient')).toEqual([{ methods: [], invitations: 1 }]);
  });
});
