import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { startConversation } from '../../../../test/conversation-world';
import { createOrganisation, createPatient, createTeam } from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import type { TestApp } from '../../../../test/test-app';
import type { DemoPerson } from '../../demo/demo-idp-people';
import { queryRows } from '../../platform/db/database';
import { type LoopbackServer, signInThrough, startNhsLoginWorld } from './oidc.test-support';

/**
 * C5 for every conversation and message endpoint there is: a patient whose NHS login says
 * P5 signs in, then every operation the OpenAPI document tags `conversations` or `inbox`
 * (or whose path names conversations or messages) is called with a well-formed request.
 * Each must answer 403 identity.verification_required and change nothing — including
 * endpoints added after this test was written.
 */
interface Operation {
  method: string;
  path: string;
  operationId: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  format?: string;
}

let t: TestApp;
let server: LoopbackServer;
let cookie: string;
let ids: Record<string, string>;
const sub = crypto.randomUUID();

/** A value the schema accepts, naming real rows where it asks for ids. */
function sample(schema: Schema, name = ''): unknown {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.[0]) return sample(variants[0], name);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.[0] !== undefined) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, sample(schema.properties?.[key] ?? {}, key)]),
      );
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}, name));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    default:
      if (ids[name]) return ids[name];
      if (schema.pattern?.includes('[0-9a-f]{8}')) return ids.teamId;
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
  }
}

function requestFor(op: Operation) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? crypto.randomUUID());
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    if (p.in === 'query' && p.required) query.set(p.name, String(sample(p.schema ?? {}, p.name)));
  }
  const schema = op.requestBody?.content['application/json']?.schema;
  return {
    method: op.method as 'GET',
    url: `${path}${query.size ? `?${query}` : ''}`,
    headers: { cookie, 'x-csrf-token': ids.csrfToken! },
    ...(schema ? { payload: sample(schema) as object } : {}),
  };
}

let operations: Operation[] = [];

const totals = async () =>
  (
    await queryRows<Record<string, number>>(
      t.db,
      sql`select (select count(*)::int from conversations) as conversations,
                 (select count(*)::int from messages) as messages,
                 (select count(*)::int from conversation_participants) as participants,
                 (select count(*)::int from conversation_reads) as reads,
                 (select count(*)::int from conversation_team_states where assignee_professional_id is not null) as assigned,
                 (select count(*)::int from conversation_team_states where archived_at is not null) as archived`,
    )
  )[0];

beforeAll(async () => {
  // The patient's NHS login says P5 (their password account was P9 when they wrote in).
  const person: DemoPerson = { sub, label: 'P5', hint: 'P5', claims: {} };
  ({ t, server } = await startNhsLoginWorld([person]));
  const here = await createOrganisation(t.db);
  const team = await createTeam(t.db, here.id, { contactable: true });
  const patient = await createPatient(t.db, [here.id], { careTeamIds: [team.id] });
  Object.assign(person.claims, {
    nhs_number: patient.nhsNumber,
    identity_proofing_level: 'P5',
    birthdate: patient.dateOfBirth,
    family_name: patient.familyName,
  });
  const p9 = await signIn(t.app, patient.email);
  const conversationId = await startConversation(p9, [{ teamId: team.id }]);

  const result = await signInThrough(t.app, '/api/v1/oidc/nhs-login/start', sub);
  expect(result.location).toBe('/verify-identity');
  cookie = result.session!;
  const session = await t.app.inject({
    method: 'GET',
    url: '/api/v1/session',
    headers: { cookie },
  });
  expect(session.json()).toMatchObject({ user: { patientId: patient.id, identityLevel: 'P5' } });
  ids = {
    conversationId,
    teamId: team.id,
    patientId: patient.id,
    organisationId: here.id,
    csrfToken: session.json<{ csrfToken: string }>().csrfToken,
  };

  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  }>();
  operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
  operations = operations.filter(
    (op) =>
      op.tags?.some((tag) => tag === 'conversations' || tag === 'inbox') ||
      /\/(conversations|messages)(\/|$)/.test(op.path),
  );
});
afterAll(async () => {
  await t.close();
  await server.close();
});

describe('a P5 patient cannot read or write message content (C5)', () => {
  it('finds the conversation and message endpoints in the OpenAPI document', () => {
    const found = operations.map((op) => op.operationId);
    for (const known of [
      'createConversation',
      'getConversation',
      'postMessage',
      'listMyConversations',
      'getTeamInbox',
    ]) {
      expect(found).toContain(known);
    }
  });

  test('every one of them answers 403 identity.verification_required and changes nothing', async () => {
    const refused: string[] = [];
    for (const op of operations) {
      const before = await totals();
      const response = await t.app.inject(requestFor(op));
      expect(response.statusCode, `${op.operationId}: ${response.body.slice(0, 200)}`).toBe(403);
      expect(response.json(), op.operationId).toMatchObject({
        code: 'identity.verification_required',
      });
      expect(await totals(), op.operationId).toEqual(before);
      refused.push(op.operationId);
    }
    expect(refused.length).toBe(operations.length);
  });
});
