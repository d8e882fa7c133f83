import { and, asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import {
  createPersonaWorld,
  type ExpectedProblem,
  expectRefused,
  type PersonaWorld,
  rowCounts,
  signInAs,
} from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { verifyAuditChain } from '../../platform/audit/audit';
import { auditEvents } from '../../platform/audit/audit.schema';
import { withTransaction } from '../../platform/db/database';
import { users } from '../identity/identity.schema';
import type { Patient } from './patients.contracts';
import { patients } from './patients.schema';

let t: TestApp;
let w: PersonaWorld;
let takenNhsNumber: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await createPersonaWorld(t.app, t.db);
  takenNhsNumber = (await createPatient(t.db, [w.here.id])).nhsNumber;
});
afterAll(() => t.close());

const invalid = (...errors: [field: string, code?: string][]): ExpectedProblem => ({
  status: 400,
  code: 'request.invalid',
  errors: errors.map(([field, code]) => ({ field, code })),
});

const patientBody = (fields: Record<string, unknown> = {}) => ({
  organisationId: w.here.id,
  nhsNumber: randomTestNhsNumber(),
  givenName: 'Ada',
  familyName: 'Lovelace',
  dateOfBirth: '1980-12-10',
  ...fields,
});
const createPatientWith = (payload: unknown): InjectOptions => ({
  method: 'POST',
  url: '/api/v1/patients',
  payload: payload as InjectOptions['payload'],
});
const nhsInvalid = invalid(['body/nhsNumber', 'patient.nhs_number_invalid']);

async function userIdOf(who: { professionalId: string } | { patientId: string }): Promise<string> {
  const [user] = await t.db
    .select()
    .from(users)
    .where(
      'professionalId' in who
        ? eq(users.professionalId, who.professionalId)
        : eq(users.patientId, who.patientId),
    );
  return user!.id;
}

interface Case {
  name: string;
  request: () => InjectOptions;
  expected: ExpectedProblem;
}

// prettier-ignore
const CREATE_PATIENT: Case[] = [
  { name: 'an NHS number with a wrong check digit', request: () => createPatientWith(patientBody({ nhsNumber: '9434765918' })), expected: nhsInvalid },
  { name: 'an NHS number of 9 digits', request: () => createPatientWith(patientBody({ nhsNumber: '943476591' })), expected: invalid(['body/nhsNumber', 'field.too_short']) },
  { name: 'an NHS number of 11 digits', request: () => createPatientWith(patientBody({ nhsNumber: '94347659190' })), expected: nhsInvalid },
  { name: 'an NHS number of 13 characters', request: () => createPatientWith(patientBody({ nhsNumber: '943 476 59190' })), expected: invalid(['body/nhsNumber', 'field.too_long']) },
  { name: 'an NHS number with letters', request: () => createPatientWith(patientBody({ nhsNumber: '94347659AB' })), expected: nhsInvalid },
  { name: 'an NHS number with slashes', request: () => createPatientWith(patientBody({ nhsNumber: '943/476/5919' })), expected: nhsInvalid },
  { name: 'an NHS number whose check digit would be 10', request: () => createPatientWith(patientBody({ nhsNumber: '1000000010' })), expected: nhsInvalid },
  { name: 'an NHS number of ten spaces', request: () => createPatientWith(patientBody({ nhsNumber: '          ' })), expected: nhsInvalid },
  { name: 'an NHS number as a JSON number', request: () => createPatientWith(patientBody({ nhsNumber: 9434765919 })), expected: invalid(['body/nhsNumber', 'field.wrong_type']) },
  { name: 'an NHS number already registered', request: () => createPatientWith(patientBody({ nhsNumber: takenNhsNumber })), expected: { status: 409, code: 'patient.nhs_number_taken' } },
  { name: 'an NHS number already registered, written with spaces', request: () => createPatientWith(patientBody({ nhsNumber: `${takenNhsNumber.slice(0, 3)} ${takenNhsNumber.slice(3, 6)} ${takenNhsNumber.slice(6)}` })), expected: { status: 409, code: 'patient.nhs_number_taken' } },
  { name: 'a date of birth in the future', request: () => createPatientWith(patientBody({ dateOfBirth: '2026-11-26' })), expected: invalid(['body/dateOfBirth', 'patient.date_of_birth_invalid']) },
  { name: 'a date of birth that does not exist', request: () => createPatientWith(patientBody({ dateOfBirth: '1980-02-30' })), expected: invalid(['body/dateOfBirth', 'field.bad_format']) },
  { name: 'a date of birth written the British way', request: () => createPatientWith(patientBody({ dateOfBirth: '10/12/1980' })), expected: invalid(['body/dateOfBirth', 'field.bad_format']) },
  { name: 'an email that is not one', request: () => createPatientWith(patientBody({ email: 'ada at home' })), expected: invalid(['body/email', 'field.bad_format']) },
  { name: 'an identity level that does not exist', request: () => createPatientWith(patientBody({ identityLevel: 'P7' })), expected: invalid(['body/identityLevel', 'field.not_allowed']) },
  { name: 'an unknown field', request: () => createPatientWith(patientBody({ address: '1 High Street' })), expected: invalid(['body/address', 'field.unknown']) },
  { name: 'no family name', request: () => createPatientWith({ ...patientBody(), familyName: undefined }), expected: invalid(['body/familyName', 'field.required']) },
  { name: 'an empty given name', request: () => createPatientWith(patientBody({ givenName: '' })), expected: invalid(['body/givenName', 'field.too_short']) },
  { name: 'a given name of only spaces', request: () => createPatientWith(patientBody({ givenName: '   ' })), expected: invalid(['body/givenName']) },
  { name: 'a family name of 101 characters', request: () => createPatientWith(patientBody({ familyName: 'f'.repeat(101) })), expected: invalid(['body/familyName', 'field.too_long']) },
  { name: 'an organisation id that is not a uuid', request: () => createPatientWith(patientBody({ organisationId: 'trust' })), expected: invalid(['body/organisationId', 'field.bad_format']) },
  { name: 'an organisation the coordinator does not coordinate', request: () => createPatientWith(patientBody({ organisationId: crypto.randomUUID() })), expected: { status: 403, code: 'patient.forbidden' } },
  { name: 'malformed JSON', request: () => ({ ...createPatientWith('{"nhsNumber": '), headers: { 'content-type': 'application/json' } }), expected: { status: 400, code: 'request.malformed' } },
  { name: 'an XML body', request: () => ({ ...createPatientWith('<patient/>'), headers: { 'content-type': 'application/xml' } }), expected: { status: 415, code: 'request.unsupported_media_type' } },
];

const get = (url: string): InjectOptions => ({ method: 'GET', url });
const careRelationship = (teamId: string, patientId: string): InjectOptions => ({
  method: 'PUT',
  url: `/api/v1/teams/${teamId}/care-relationships/${patientId}`,
});

// prettier-ignore
const PATHS: Case[] = [
  { name: 'getPatient: an id that is not a uuid', request: () => get('/api/v1/patients/9434765919'), expected: invalid(['params/patientId', 'field.bad_format']) },
  { name: 'getPatient: an id in urn:uuid: form', request: () => get(`/api/v1/patients/urn:uuid:${w.people.patientRegistered.id}`), expected: invalid(['params/patientId', 'field.bad_format']) },
  { name: 'getPatient: a patient who does not exist', request: () => get(`/api/v1/patients/${crypto.randomUUID()}`), expected: { status: 404, code: 'patient.not_found' } },
  { name: 'addCareRelationship: a team id that is not a uuid', request: () => careRelationship('pals', w.people.patientRegistered.id), expected: invalid(['params/teamId', 'field.bad_format']) },
  { name: 'addCareRelationship: a team that does not exist', request: () => careRelationship(crypto.randomUUID(), w.people.patientRegistered.id), expected: { status: 404, code: 'team.not_found' } },
  { name: 'addCareRelationship: a patient who does not exist', request: () => careRelationship(w.team.id, crypto.randomUUID()), expected: { status: 404, code: 'patient.not_found' } },
  { name: 'addCareRelationship: a body it does not take', request: () => ({ ...careRelationship(w.adminTeam.id, w.people.patientRegistered.id), payload: 'x', headers: { 'content-type': 'application/xml' } }), expected: { status: 415, code: 'request.unsupported_media_type' } },
];

describe.each([
  ['createPatient', CREATE_PATIENT],
  ['patient paths', PATHS],
])(
  '%s refuses bad input with a stable code and changes nothing (DESIGN §5, §6)',
  (_name, cases) => {
    test.each(cases)('$name', async ({ request, expected }) => {
      await expectRefused(t.db, w.clients.coordinatorHere, request(), expected);
    });
  },
);

describe('createPatient and NHS numbers', () => {
  it('accepts, for any nine digits, exactly the computed check digit unless it is 10 (property, over HTTP)', async () => {
    const used = new Set<string>([takenNhsNumber]);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 }),
        fc.integer({ min: 0, max: 9 }),
        async (body, digit) => {
          fc.pre(!used.has(`${body}${digit}`));
          used.add(`${body}${digit}`);
          const sum = [...body].reduce((total, d, i) => total + Number(d) * (10 - i), 0);
          const check = (11 - (sum % 11)) % 11;
          const before = await rowCounts(t.db);
          const response = await w.clients.coordinatorHere.request(
            createPatientWith(patientBody({ nhsNumber: `${body}${digit}` })),
          );
          const after = await rowCounts(t.db);
          if (check !== 10 && digit === check) {
            expect(response.statusCode, response.body).toBe(201);
            expect(after.patients).toBe((before.patients ?? 0) + 1);
          } else {
            expect(response.json()).toMatchObject({
              status: 400,
              code: 'request.invalid',
              errors: [{ field: 'body/nhsNumber', code: 'patient.nhs_number_invalid' }],
            });
            expect(after).toEqual(before);
          }
        },
      ),
      // Valid numbers are one in eleven: bias a run towards them as well.
      {
        numRuns: 40,
        examples: [
          ['943476591', 9],
          ['100000001', 0],
          ['401023213', 7],
        ],
      },
    );
  });

  it('registers a patient with the coordinator’s organisation, normalising the NHS number, and audits it', async () => {
    const response = await w.clients.coordinatorHere.request(
      createPatientWith(
        patientBody({
          nhsNumber: '450 557-7104',
          givenName: ' Grace ',
          email: 'grace@example.test',
          identityLevel: 'P9',
        }),
      ),
    );
    expect(response.statusCode, response.body).toBe(201);
    const patient = response.json<Patient>();
    expect(patient).toMatchObject({
      nhsNumber: '4505577104',
      givenName: 'Grace',
      familyName: 'Lovelace',
      dateOfBirth: '1980-12-10',
      email: 'grace@example.test',
      identityLevel: 'P9',
      organisations: [{ id: w.here.id, name: w.here.name }],
      careTeams: [],
    });
    const [row] = await t.db.select().from(patients).where(eq(patients.id, patient.id));
    expect(row?.nhsNumber).toBe('4505577104');
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.patientId, patient.id));
    expect(events).toMatchObject([
      {
        action: 'patient.created',
        outcome: 'success',
        organisationId: w.here.id,
        actorUserId: await userIdOf({ professionalId: w.people.coordinatorHere.id }),
        requestId: response.headers['x-request-id'],
      },
    ]);
    // Its NHS number is taken from now on, however it is written.
    await expectRefused(
      t.db,
      w.clients.coordinatorHere,
      createPatientWith(patientBody({ nhsNumber: '4505577104' })),
      {
        status: 409,
        code: 'patient.nhs_number_taken',
      },
    );
  });

  it('defaults the identity level to P5', async () => {
    const response = await w.clients.coordinatorHere.request(createPatientWith(patientBody()));
    expect(response.json()).toMatchObject({ identityLevel: 'P5', email: null });
  });
});

describe('getPatient writes patient.read to the audit trail (DESIGN C4)', () => {
  it('success for the patient and a care-team member; denied, and 404, for a member of another team', async () => {
    const organisation = await createOrganisation(t.db);
    const careTeam = await createTeam(t.db, organisation.id);
    const otherTeam = await createTeam(t.db, organisation.id);
    const patient = await createPatient(t.db, [organisation.id], { careTeamIds: [careTeam.id] });
    const careMember = await createProfessional(t.db, organisation.id, [
      { teamId: careTeam.id, role: 'member' },
    ]);
    const otherMember = await createProfessional(t.db, organisation.id, [
      { teamId: otherTeam.id, role: 'member' },
    ]);
    const url = `/api/v1/patients/${patient.id}`;

    const readers = [
      {
        client: await signInAs(t.app, patient.email),
        userId: await userIdOf({ patientId: patient.id }),
        status: 200,
        outcome: 'success',
      },
      {
        client: await signInAs(t.app, careMember.email),
        userId: await userIdOf({ professionalId: careMember.id }),
        status: 200,
        outcome: 'success',
      },
      {
        client: await signInAs(t.app, otherMember.email),
        userId: await userIdOf({ professionalId: otherMember.id }),
        status: 404,
        outcome: 'denied',
      },
    ];
    for (const reader of readers) {
      const response = await reader.client.request({ method: 'GET', url });
      expect(response.statusCode, response.body).toBe(reader.status);
      if (reader.status === 200) {
        expect(response.json<Patient>()).toMatchObject({
          id: patient.id,
          nhsNumber: patient.nhsNumber,
          careTeams: [{ id: careTeam.id }],
        });
      } else {
        expect(response.json()).toMatchObject({ code: 'patient.not_found' });
        expect(response.body).not.toContain(patient.nhsNumber);
        expect(response.body).not.toContain(patient.familyName);
      }
      const [event] = await t.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'patient.read'),
            eq(auditEvents.requestId, String(response.headers['x-request-id'])),
          ),
        );
      expect(event).toMatchObject({
        action: 'patient.read',
        entityType: 'patient',
        entityId: patient.id,
        patientId: patient.id,
        actorUserId: reader.userId,
        outcome: reader.outcome,
        chainKey: `patient:${patient.id}`,
      });
    }
    const reads = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'patient.read')))
      .orderBy(asc(auditEvents.seq));
    expect(reads.map((e) => e.outcome)).toEqual(['success', 'success', 'denied']);
    const verdict = await withTransaction(t.db, (tx) =>
      verifyAuditChain(tx, `patient:${patient.id}`),
    );
    expect(verdict.ok).toBe(true);
  });

  it('audits a refused read by a patient or a coordinator elsewhere as denied', async () => {
    const target = w.people.patientRegistered.id;
    for (const persona of ['patientNotRegistered', 'coordinatorElsewhere'] as const) {
      const response = await w.clients[persona].request({
        method: 'GET',
        url: `/api/v1/patients/${target}`,
      });
      expect(response.statusCode).toBe(404);
      const [event] = await t.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
      expect(event).toMatchObject({ action: 'patient.read', patientId: target, outcome: 'denied' });
    }
  });

  it('writes nothing for a patient that does not exist', async () => {
    const before = await rowCounts(t.db);
    const response = await w.clients.member.request({
      method: 'GET',
      url: `/api/v1/patients/${crypto.randomUUID()}`,
    });
    expect(response.statusCode).toBe(404);
    expect(await rowCounts(t.db)).toEqual(before);
  });
});

describe('care relationships give a team record access (DESIGN C2)', () => {
  it('a team reads the record only while it has a care relationship, each change audited', async () => {
    const { coordinatorHere } = w.clients;
    const patient = (
      await coordinatorHere.request(createPatientWith(patientBody()))
    ).json<Patient>();
    const team = await createTeam(t.db, w.here.id);
    const nurse = await createProfessional(t.db, w.here.id, [{ teamId: team.id, role: 'member' }]);
    const client = await signInAs(t.app, nurse.email);
    const read = () => client.request({ method: 'GET', url: `/api/v1/patients/${patient.id}` });
    const url = `/api/v1/teams/${team.id}/care-relationships/${patient.id}`;

    expect((await read()).statusCode).toBe(404);
    const added = await coordinatorHere.request({ method: 'PUT', url });
    expect(added.statusCode).toBe(204);
    expect(added.body).toBe('');
    const granted = await read();
    expect(granted.statusCode).toBe(200);
    expect(granted.json<Patient>().careTeams).toEqual([{ id: team.id, name: team.name }]);
    // Setting it again is harmless.
    expect((await coordinatorHere.request({ method: 'PUT', url })).statusCode).toBe(204);
    expect((await read()).json<Patient>().careTeams).toHaveLength(1);

    const removed = await coordinatorHere.request({ method: 'DELETE', url });
    expect(removed.statusCode).toBe(204);
    expect((await read()).statusCode).toBe(404);

    const changes = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.patientId, patient.id), eq(auditEvents.entityType, 'care_relationship')),
      )
      .orderBy(asc(auditEvents.seq));
    // Setting it again changed nothing, so it is not in the patient's history (C4).
    expect(changes.map((e) => [e.action, e.entityId, e.organisationId])).toEqual([
      ['care_relationship.set', `${team.id}:${patient.id}`, w.here.id],
      ['care_relationship.ended', `${team.id}:${patient.id}`, w.here.id],
    ]);
    expect(
      await withTransaction(t.db, (tx) => verifyAuditChain(tx, `patient:${patient.id}`)),
    ).toMatchObject({ ok: true });
  });

  it('an inactive team is not given one (409), and nothing changes', async () => {
    const { coordinatorHere } = w.clients;
    const patient = (
      await coordinatorHere.request(createPatientWith(patientBody()))
    ).json<Patient>();
    const closed = await createTeam(t.db, w.here.id, { active: false });
    const refused = await coordinatorHere.request({
      method: 'PUT',
      url: `/api/v1/teams/${closed.id}/care-relationships/${patient.id}`,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('care_relationship.team_inactive');
    const read = await coordinatorHere.request({
      method: 'GET',
      url: `/api/v1/patients/${patient.id}`,
    });
    expect(read.json<Patient>().careTeams).toEqual([]);
  });
});
