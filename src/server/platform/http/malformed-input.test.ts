import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changedTables, fingerprint } from '../../../../test/database-fingerprint';
import { connectSystem, tokenFor } from '../../../../test/integration-world';
import {
  documentedOperations,
  type Operation,
  type Probe,
} from '../../../../test/openapi-operations';
import {
  isIdName,
  judge,
  type KnownIds,
  probesFor,
  type QueryDefaults,
  urlFor,
} from '../../../../test/openapi-probes';
import type { Client } from '../../../../test/http';
import { createPersonaWorld, type PersonaName, signInAs } from '../../../../test/personas';
import { buildTestApp } from '../../../../test/test-app';
import { UUID_PATTERN } from './routes';

/**
 * "Every bad input gets a clear, stable error and changes nothing" (DESIGN §5 and §6,
 * decision 0004), checked from the API document itself: every operation it lists gets
 * wrong path parameters, queries, headers and bodies from someone who could otherwise use
 * it, and must answer each with its 4xx error form and stable code, never a 5xx, without
 * echoing the bad value, and without changing a single row of any table.
 */

const t = await buildTestApp();
afterAll(() => t.close());
const world = await createPersonaWorld(t.app, t.db);
const operations = await documentedOperations(t.app);
const bearer = await tokenFor(
  t.app,
  await connectSystem(world.clients.coordinatorHere, world.here.id),
);

/** Who sends an operation's probes: the caller it is meant for, so nothing else stops them. */
const PUBLIC = new Set([
  'signInWithPassword',
  'verifySignInCode',
  'verifySignInRecoveryCode',
  'getSignInOptions',
  'startNhsLogin',
  'completeNhsLogin',
  'startStaffSignIn',
  'completeStaffSignIn',
  'getPublicTeam',
  'issueIntegrationToken',
]);
const BY_OPERATION: Record<string, PersonaName> = {
  getOrganisationSignInPolicy: 'coordinatorHere',
  updateOrganisationSignInPolicy: 'coordinatorHere',
  getAccessLog: 'patientRegistered',
  downloadAccessLog: 'patientRegistered',
  addCareRelationship: 'coordinatorHere',
  removeCareRelationship: 'coordinatorHere',
  createConversation: 'patientRegistered',
  listMyConversations: 'patientRegistered',
  listMyRecipients: 'patientRegistered',
  listPatientCarers: 'member',
  breakGlass: 'member',
  listBreakGlassReviews: 'coordinatorHere',
  reviewBreakGlass: 'coordinatorHere',
  listDeadLetters: 'coordinatorHere',
  getOrganisationStatistics: 'coordinatorHere',
  exportOrganisationStatistics: 'coordinatorHere',
  getAppointmentSettings: 'coordinatorHere',
  updateAppointmentSettings: 'coordinatorHere',
};
const BY_TAG: Record<string, PersonaName> = {
  identity: 'member',
  directory: 'coordinatorHere',
  onboarding: 'coordinatorHere',
  patients: 'member',
  conversations: 'member',
  carers: 'patientRegistered',
  'record access': 'patientRegistered',
  inbox: 'member',
  notifications: 'member',
  workload: 'manager',
  documents: 'member',
  appointments: 'member',
  integrations: 'coordinatorHere',
  development: 'member',
};

/**
 * Left to their own tests, with the reason: what they take is not described by a schema
 * the document gives, or a request they accept never ends.
 */
const OWN_PROTOCOL: Record<string, string> = {
  streamEvents: 'an event stream: takes no input, and an accepted request stays open',
  uploadDocument:
    'tus: its input is headers the document gives as plain strings (malformed-upload.test.ts)',
};

/**
 * Query parameters a route takes beyond those it names, with the reason: an identity
 * provider's redirect may add its own (session_state, say).
 */
const OPEN_QUERY = new Set(['completeNhsLogin', 'completeStaffSignIn']);

/**
 * Refusals that are recorded by design: a coordinator's upload is audited whatever its fate
 * (C4, decision 0012), and a file's text is the importer's to judge, so that it can say how
 * to save the file again (fileTextIn).
 */
const AUDITED_REFUSALS: Record<string, Record<string, Probe['expected']>> = {
  importStaff: { 'body csv: NUL': [{ status: 400, code: 'onboarding.file_unreadable' }] },
  importPatients: { 'body csv: NUL': [{ status: 400, code: 'onboarding.file_unreadable' }] },
};

/** Operations that would end the session sending them, were a probe accepted: their own. */
const ENDS_SESSION = new Set(['signOut', 'signOutEverywhere']);
const ownSessions = new Map<string, Client>();
for (const id of ENDS_SESSION) {
  ownSessions.set(id, await signInAs(t.app, world.people.member.email));
}

type Send = (request: InjectOptions) => Promise<LightMyRequestResponse>;

function senderFor(op: Operation): Send | string {
  if (op.path.startsWith('/fhir/')) {
    return (request) =>
      t.app.inject({
        ...request,
        headers: {
          accept: 'application/fhir+json',
          authorization: `Bearer ${bearer}`,
          ...request.headers,
        },
      });
  }
  if (PUBLIC.has(op.operationId)) return (request) => t.app.inject(request);
  const own = ownSessions.get(op.operationId);
  if (own) return (request) => own.request(request);
  const persona = BY_OPERATION[op.operationId] ?? BY_TAG[op.tags[0] ?? ''];
  if (persona === undefined) return `no persona for tag ${op.tags.join(', ')}`;
  const client = world.clients[persona];
  return (request) => client.request(request);
}

const ids: KnownIds = {
  organisationId: world.here.id,
  teamId: world.team.id,
  professionalId: world.people.member.id,
  patientId: world.people.patientRegistered.id,
  slug: world.team.slug,
  // A staff single sign-on provider (setSignInProvider): an enum, not a row's id.
  provider: 'entra',
};
const defaults: QueryDefaults = {
  patient: `Patient/${world.people.patientRegistered.id}`,
};

function probesOf(op: Operation): Probe[] {
  return probesFor(op, ids, defaults)
    .filter((p) => !(OPEN_QUERY.has(op.operationId) && p.name === 'query unknown parameter'))
    .map((p) => {
      const expected = AUDITED_REFUSALS[op.operationId]?.[p.name];
      return expected ? { ...p, expected, changesNothing: false } : p;
    });
}

/** MALFORMED_PER_PROBE=1 names the probe that changed a table (slow: a fingerprint each). */
const PER_PROBE = process.env.MALFORMED_PER_PROBE === '1';

async function sendAll(op: Operation, send: Send, probes: Probe[]): Promise<string[]> {
  const failures: string[] = [];
  for (const probe of probes) {
    const before = PER_PROBE ? await fingerprint(t.db) : null;
    const response = await send(probe.request);
    const why = judge(response, op.path, probe);
    if (why !== null) failures.push(`${probe.name}: ${why}`);
    if (before && probe.changesNothing) {
      const changed = changedTables(before, await fingerprint(t.db));
      if (changed.length > 0) failures.push(`${probe.name} changed ${changed.join(', ')}`);
    }
  }
  return failures;
}

const probed = operations.filter((op) => OWN_PROTOCOL[op.operationId] === undefined);

describe('malformed requests, operation by operation (DESIGN §5, decision 0004)', () => {
  it('covers every operation the API document lists', () => {
    expect(operations.length).toBeGreaterThan(100);
    const unplaced = probed
      .map((op) => [op.operationId, senderFor(op)] as const)
      .filter(([, send]) => typeof send === 'string');
    expect(unplaced).toEqual([]);
    for (const id of Object.keys(OWN_PROTOCOL)) {
      expect(operations.map((op) => op.operationId)).toContain(id);
    }
  });

  // Each operation's "before" is the one before it's "after": half the fingerprints to take.
  let last: Record<string, string> | undefined;

  it.each(probed.map((op) => [op.operationId, op] as const))(
    '%s refuses every malformed request with its stable error and changes nothing',
    async (_id, op) => {
      const send = senderFor(op);
      if (typeof send === 'string') throw new Error(send);
      const before = last ?? (await fingerprint(t.db));
      const failures = await sendAll(
        op,
        send,
        probesOf(op).filter((p) => p.changesNothing),
      );
      last = await fingerprint(t.db);
      const changed = changedTables(before, last);
      if (changed.length > 0) failures.push(`changed: ${changed.join(', ')}`);
      expect(failures, `${op.method} ${op.path}`).toEqual([]);
    },
  );

  it('refuses ids nobody has, and what is refused on the record, with a 4xx, never a crash', async () => {
    const failures: string[] = [];
    for (const op of probed) {
      const send = senderFor(op);
      if (typeof send === 'string') continue;
      // Well formed, so refusing them may be audited (C4): rows may change.
      const found = await sendAll(
        op,
        send,
        probesOf(op).filter((p) => !p.changesNothing),
      );
      failures.push(...found.map((f) => `${op.operationId} ${f}`));
    }
    expect(failures).toEqual([]);
  });
});

const UUID = new RegExp(UUID_PATTERN);
const apiOps = probed.filter((op) => op.path.startsWith('/api/'));

describe('malformed requests, generated (fast-check)', () => {
  // Chosen by name, not by schema, so that a route whose id lost its pattern is still tried.
  const withId = apiOps.filter((op) =>
    op.parameters.some((p) => p.in === 'path' && isIdName(p.name)),
  );

  it('refuses any path id that is not a lower-case uuid, changing nothing', async () => {
    const before = await fingerprint(t.db);
    // A few values for every operation, rather than many for a random few: none is skipped.
    for (const op of withId) {
      const param = op.parameters.find((p) => p.in === 'path' && isIdName(p.name))!;
      const send = senderFor(op) as Send;
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).filter((s) => !UUID.test(s)),
          async (value) => {
            const url = urlFor(op, ids, { [param.name]: encodeURIComponent(value) });
            const response = await send({ method: op.method, url });
            const why = judge(response, op.path, {
              name: 'generated id',
              request: {},
              changesNothing: true,
              expected: [
                { status: 400, code: 'request.invalid', field: `params/${param.name}` },
                // '.', '..' and the like move the address itself.
                { status: 404, code: 'route.not_found' },
              ],
            });
            expect(why, `${op.method} ${url}`).toBeNull();
          },
        ),
        { numRuns: 4 },
      );
    }
    expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
  });

  it('refuses any JSON body with a field the contract does not name, changing nothing', async () => {
    const strict = apiOps.filter(
      (op) => op.body?.type === 'application/json' && op.body.schema.additionalProperties === false,
    );
    const key = fc.string().filter((k) => !['__proto__', 'constructor'].includes(k));
    const before = await fingerprint(t.db);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...strict),
        fc.dictionary(key, fc.jsonValue(), { maxKeys: 4 }),
        fc.jsonValue({ maxDepth: 3 }),
        async (op, fields, value) => {
          const send = senderFor(op) as Send;
          const payload = { ...fields, zz_fuzz: value };
          const response = await send({ method: op.method, url: urlFor(op, ids), payload });
          // A `__proto__` or `constructor` key anywhere makes the body unreadable before any
          // schema looks at it (the JSON parser's prototype-poisoning guard).
          const poisoned = /"(__proto__|constructor)":/.test(JSON.stringify(payload));
          const why = judge(response, op.path, {
            name: 'generated body',
            request: {},
            changesNothing: true,
            expected: [
              { status: 400, code: 'request.invalid' },
              ...(poisoned ? [{ status: 400, code: 'request.malformed' }] : []),
            ],
          });
          expect(why, `${op.method} ${op.path}`).toBeNull();
        },
      ),
      { numRuns: 120 },
    );
    expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
  });

  it('answers any forged page cursor with a page or invalid_cursor, never a crash', async () => {
    const lists = probed.filter((op) =>
      op.parameters.some((p) => p.in === 'query' && /^_?cursor$/.test(p.name)),
    );
    const cursor = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc
        .tuple(
          fc.array(fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map(String))),
          fc.uuid(),
        )
        .map(([key, id]) => Buffer.from(JSON.stringify([...key, id])).toString('base64url')),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...lists), cursor, async (op, value) => {
        const name = op.parameters.find((p) => p.in === 'query' && /cursor$/.test(p.name))!.name;
        const query = new URLSearchParams({ [name]: value });
        if (op.parameters.some((p) => p.name === 'patient'))
          query.set('patient', defaults.patient!);
        const response = await (senderFor(op) as Send)({
          method: 'GET',
          url: `${urlFor(op, ids)}?${query.toString()}`,
        });
        if (response.statusCode === 200 && value.length <= 512) return;
        const why = judge(response, op.path, {
          name: 'generated cursor',
          request: {},
          changesNothing: true,
          expected: [
            { status: 400, code: 'request.invalid_cursor' },
            { status: 400, code: 'request.invalid' },
          ],
        });
        expect(why, `${op.operationId} ${value}`).toBeNull();
      }),
      { numRuns: 120 },
    );
  });
});
