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
import { race as lockRace } from '../../../../test/lock-race';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows, type Tx } from '../../platform/db/database';
import type { ImportResult } from './onboarding.contracts';

/**
 * People added by hand while a file naming them is imported (decision 0012). An import
 * locks its organisation's row, and adding a person to that organisation by hand must share
 * it (the foreign key), so within one organisation one waits for the other. An email or an
 * NHS number is unique across organisations, though, so another organisation can add the
 * same person between the import's checks and its writes. Each test holds a lock in a third
 * transaction (the gate), so the first request stops just after writing its person, and the
 * second runs into that row. PGlite has one connection, so only PostgreSQL runs these.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)(
  'people added by hand while a file naming them is imported',
  () => {
    let t: TestApp;
    /** The organisation importing its file, and another one. */
    let home: Organisation;
    let other: Organisation;

    interface Organisation {
      id: string;
      teamSlug: string;
      coordinators: [Client, Client];
    }

    const organisation = async (): Promise<Organisation> => {
      const org = await createOrganisation(t.db);
      const admin = await createTeam(t.db, org.id, { contactable: false });
      const team = await createTeam(t.db, org.id);
      const people = await Promise.all(
        [0, 1].map(() =>
          createProfessional(t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]),
        ),
      );
      return {
        id: org.id,
        teamSlug: team.slug,
        coordinators: [
          await signIn(t.app, people[0]!.email),
          await signIn(t.app, people[1]!.email),
        ],
      };
    };

    beforeAll(async () => {
      t = await buildTestApp();
      home = await organisation();
      other = await organisation();
    });
    afterAll(() => t.close());

    const unique = () => crypto.randomUUID().slice(0, 8);

    /** The gate: an organisation's audit chain, which adding a professional writes to last. */
    const auditChainOf = (org: Organisation) => (tx: Tx) =>
      tx.execute(
        sql`insert into audit_chain_heads (chain_key, seq, hash)
            values (${`organisation:${org.id}`}, 0, ${'0'.repeat(64)})
            on conflict (chain_key) do update set seq = audit_chain_heads.seq`,
      );

    /** The gate: an organisation's row, which registering a patient with it must share. */
    const rowOf = (org: Organisation) => (tx: Tx) =>
      tx.execute(sql`select 1 from organisations where id = ${org.id} for update`);

    /** In each race here the second request comes to wait for the first. */
    const race = (
      hold: (tx: Tx) => Promise<unknown>,
      first: () => Promise<LightMyRequestResponse>,
      second: () => Promise<LightMyRequestResponse>,
    ) => lockRace(t.db, hold, first, second, { secondWaits: true });

    const byHand = (org: Organisation, email: string, coordinator = 0) =>
      org.coordinators[coordinator as 0 | 1].request({
        method: 'POST',
        url: `/api/v1/organisations/${org.id}/professionals`,
        payload: { name: 'Alex Ward', jobTitle: 'Staff Nurse', email },
      });

    const staffFile = (org: Organisation, email: string) =>
      [
        'Name,Job title,Email,Team,Role,Contactable',
        `Alex Ward,Staff Nurse,${email},${org.teamSlug},member,yes`,
      ].join('\r\n');

    const importStaff = (org: Organisation, email: string) =>
      org.coordinators[0].request({
        method: 'POST',
        url: `/api/v1/organisations/${org.id}/imports/staff`,
        payload: { csv: staffFile(org, email) },
      });

    const professionalsWith = async (email: string) =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from professionals where lower(email) = lower(${email})`,
        )
      )[0]?.n;

    /** The refusals audited for an organisation's imports (C4): the 409 rolled its own back. */
    const rejectionsOf = (org: Organisation, csv: string) =>
      queryRows<{ outcome: string; kind: string; code: string }>(
        t.db,
        sql`select outcome, details->>'kind' as kind, details->>'code' as code from audit_events
             where organisation_id = ${org.id} and action = 'onboarding.import_rejected'
               and details->>'fileSha256' = ${createHash('sha256').update(csv).digest('hex')}`,
      );

    it('added by hand to another organisation meanwhile: the import is a conflict, imports nothing, and says why when run again', async () => {
      const email = `alex.${unique()}@trust.nhs.uk`;
      const raced = await race(
        auditChainOf(other),
        () => byHand(other, email),
        () => importStaff(home, email.toUpperCase()),
      );

      expect(raced.first.statusCode, raced.first.body).toBe(201);
      expect(raced.second.statusCode, raced.second.body).toBe(409);
      expect(raced.second.json()).toMatchObject({ code: 'professional.email_taken' });
      expect(raced.second.json<{ detail: string }>().detail).toMatch(/upload the file again/i);
      expect(await professionalsWith(email)).toBe(1);
      expect(await rejectionsOf(home, staffFile(home, email.toUpperCase()))).toEqual([
        { outcome: 'failure', kind: 'staff', code: 'professional.email_taken' },
      ]);

      const again = await importStaff(home, email);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<ImportResult>()).toMatchObject({
        outcome: 'rejected',
        problems: [{ row: 2, code: 'onboarding.email_other_organisation' }],
      });
    });

    it('added by hand to the same organisation first: the import waits, then adds them to the team', async () => {
      const email = `bea.${unique()}@trust.nhs.uk`;
      const raced = await race(
        auditChainOf(home),
        () => byHand(home, email, 1),
        () => importStaff(home, email),
      );

      expect(raced.first.statusCode, raced.first.body).toBe(201);
      expect(raced.second.statusCode, raced.second.body).toBe(200);
      expect(raced.second.json<ImportResult>()).toMatchObject({
        outcome: 'imported',
        counts: { created: 0, linked: 1 },
      });
      expect(await professionalsWith(email)).toBe(1);
    });

    it('added by hand while the import writes them: refused as a taken email', async () => {
      const email = `cai.${unique()}@trust.nhs.uk`;
      const raced = await race(
        auditChainOf(home),
        () => importStaff(home, email),
        () => byHand(other, email),
      );

      expect(raced.first.statusCode, raced.first.body).toBe(200);
      expect(raced.first.json<ImportResult>()).toMatchObject({ counts: { created: 1 } });
      expect(raced.second.statusCode, raced.second.body).toBe(409);
      expect(raced.second.json()).toMatchObject({ code: 'professional.email_taken' });
      expect(await professionalsWith(email)).toBe(1);
    });

    it('two coordinators adding the same email at once: one is added, the other told it is taken', async () => {
      const email = `dev.${unique()}@trust.nhs.uk`;
      const raced = await race(
        auditChainOf(home),
        () => byHand(home, email, 0),
        () => byHand(home, email, 1),
      );

      expect(raced.first.statusCode, raced.first.body).toBe(201);
      expect(raced.second.statusCode, raced.second.body).toBe(409);
      expect(raced.second.json()).toMatchObject({ code: 'professional.email_taken' });
      expect(await professionalsWith(email)).toBe(1);
    });

    it('a patient registered by another organisation meanwhile: the import is a conflict, and links them when run again', async () => {
      const nhsNumber = randomTestNhsNumber();
      const patient = { givenName: 'Margaret', familyName: 'Thompson', dateOfBirth: '1950-03-14' };
      const csv = [
        'NHS number,Given name,Family name,Date of birth,Email',
        `${nhsNumber},Margaret,Thompson,14/03/1950,`,
      ].join('\r\n');
      const importPatients = () =>
        home.coordinators[0].request({
          method: 'POST',
          url: `/api/v1/organisations/${home.id}/imports/patients`,
          payload: { csv },
        });
      const raced = await race(
        rowOf(other),
        () =>
          other.coordinators[0].request({
            method: 'POST',
            url: '/api/v1/patients',
            payload: { organisationId: other.id, nhsNumber, ...patient },
          }),
        importPatients,
      );

      expect(raced.first.statusCode, raced.first.body).toBe(201);
      expect(raced.second.statusCode, raced.second.body).toBe(409);
      expect(raced.second.json()).toMatchObject({ code: 'patient.nhs_number_taken' });
      expect(await rejectionsOf(home, csv)).toEqual([
        { outcome: 'failure', kind: 'patients', code: 'patient.nhs_number_taken' },
      ]);

      const again = await importPatients();
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<ImportResult>()).toMatchObject({
        outcome: 'imported',
        counts: { created: 0, linked: 1 },
      });
    });
  },
);
