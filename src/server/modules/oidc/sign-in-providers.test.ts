import { and, eq, sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../../../test/factories';
import {
  createPersonaWorld,
  expectRefused,
  PERSONAS,
  type PersonaName,
  type PersonaWorld,
} from '../../../../test/personas';
import { race } from '../../../../test/lock-race';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { DEMO_ORGANISATION } from '../../demo/demo-data';
import { useDemoCis2 } from '../../demo/demo-idp-mount';
import { queryRows } from '../../platform/db/database';
import { organisations } from '../directory/directory.schema';
import { organisationSignInProviders } from './oidc.schema';
import { clientKey } from './oidc.test-support';

// Coordinators set up their organisation's staff single sign-on (DESIGN C5; the coordinator
// "configures the organisation"; every change audited, C4; decision 0025).

let t: TestApp;
let world: PersonaWorld;
let pem: string;

beforeAll(async () => {
  pem = (await clientKey()).pem;
  t = await buildTestApp({
    env: { OIDC_KEY_TEST: pem, OIDC_KEY_SPARE: pem, STAFF_SSO_ISSUERS: TRUSTED.join(' ') },
  });
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(() => t.close());

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const CIS2_ISSUER =
  'https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/Healthcare';
const TRUSTED = [`https://login.microsoftonline.com/${TENANT}/v2.0`, CIS2_ISSUER];
const url = (organisationId: string, provider?: string) =>
  `/api/v1/organisations/${organisationId}/sign-in-providers${provider ? `/${provider}` : ''}`;
const entra = {
  issuer: TRUSTED[0]!,
  clientId: 'carethread-entra',
  keyName: 'TEST',
  keyId: 'thumbprint-1',
  tenantAllowlist: [TENANT],
  enabled: true,
};
const cis2 = {
  issuer: CIS2_ISSUER,
  clientId: 'carethread-cis2',
  keyName: 'TEST',
  odsCode: 'rj1',
  enabled: true,
};

async function auditOf(organisationId: string) {
  return queryRows<{ action: string; actor_label: string; details: Record<string, unknown> }>(
    t.db,
    sql`select action, actor_label, details from audit_events
         where organisation_id = ${organisationId} and action like 'sign_in_provider.%' order by id`,
  );
}

const rowOf = async (organisationId: string, provider: 'cis2' | 'entra') =>
  (
    await t.db
      .select()
      .from(organisationSignInProviders)
      .where(
        and(
          eq(organisationSignInProviders.organisationId, organisationId),
          eq(organisationSignInProviders.provider, provider),
        ),
      )
  )[0];

describe('who may manage single sign-on (persona matrix)', () => {
  type Operation = 'list' | 'set' | 'remove';
  const requestFor = (operation: Operation, organisationId: string): InjectOptions =>
    operation === 'list'
      ? { method: 'GET', url: url(organisationId) }
      : operation === 'set'
        ? { method: 'PUT', url: url(organisationId, 'entra'), payload: entra }
        : { method: 'DELETE', url: url(organisationId, 'entra') };
  const refusal = (persona: PersonaName) =>
    persona === 'anonymous'
      ? { status: 401, code: 'auth.unauthenticated' }
      : { status: 403, code: 'sign_in_provider.forbidden' };

  const cells = (['list', 'set', 'remove'] as const).flatMap((operation) =>
    PERSONAS.filter((p) => p !== 'coordinatorHere').map((persona) => ({ operation, persona })),
  );

  it('covers every operation for every persona', () => {
    expect(cells).toHaveLength(3 * (PERSONAS.length - 1));
  });

  it.each(cells)('$operation by $persona is refused and changes nothing', async (cell) => {
    // A provider to remove exists, so a refusal is about who asks, not what is there.
    await world.clients.coordinatorHere.request({
      method: 'PUT',
      url: url(world.here.id, 'entra'),
      payload: entra,
    });
    await expectRefused(
      t.db,
      world.clients[cell.persona],
      requestFor(cell.operation, world.here.id),
      refusal(cell.persona),
    );
  });

  it('the organisation’s coordinator lists, sets and removes', async () => {
    const client = world.clients.coordinatorHere;
    await client.request({ method: 'DELETE', url: url(world.here.id, 'entra') });
    const created = await client.request(requestFor('set', world.here.id));
    expect(created.statusCode, created.body).toBe(201);
    const list = await client.request(requestFor('list', world.here.id));
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      items: [{ provider: 'entra', odsCode: null, issuerTrusted: true, ...entra }],
      keyNames: ['SPARE', 'TEST'],
      trustedIssuers: TRUSTED,
      redirectUris: {
        cis2: 'http://localhost:3000/api/v1/oidc/staff/callback',
        entra: 'http://localhost:3000/api/v1/oidc/staff/callback',
      },
    });
    // Names only: never the keys themselves.
    expect(list.body).not.toContain('PRIVATE KEY');
    expect(list.body).not.toContain(pem.split('\n')[1]);
    const removed = await client.request(requestFor('remove', world.here.id));
    expect(removed.statusCode).toBe(204);
    expect(await rowOf(world.here.id, 'entra')).toBeUndefined();
  });

  it('an organisation nobody has is not found, as for connected systems', async () => {
    const nowhere = '00000000-0000-4000-8000-000000000000';
    for (const operation of ['list', 'set', 'remove'] as const) {
      await expectRefused(t.db, world.clients.coordinatorHere, requestFor(operation, nowhere), {
        status: 404,
        code: 'organisation.not_found',
      });
    }
  });
});

describe('setting a provider (setSignInProvider)', () => {
  const put = (provider: string, payload: object) => ({
    method: 'PUT' as const,
    url: url(world.here.id, provider),
    payload,
  });

  it.each([
    ['entra', { ...entra, issuer: 'https://idp.example.com/x' }, 'issuer', 'issuer_not_trusted'],
    ['cis2', { ...cis2, issuer: `${cis2.issuer}?p=1` }, 'issuer', 'issuer_not_trusted'],
    ['entra', { ...entra, clientId: '   ' }, 'clientId', 'client_id_missing'],
    ['entra', { ...entra, keyName: 'NOPE' }, 'keyName', 'unknown_key'],
    ['entra', { ...entra, keyName: 'DEMO' }, 'keyName', 'unknown_key'],
    ['cis2', { ...cis2, odsCode: undefined }, 'odsCode', 'ods_code_missing'],
    ['cis2', { ...cis2, odsCode: '  ' }, 'odsCode', 'ods_code_missing'],
    ['cis2', { ...cis2, odsCode: 'R-1' }, 'odsCode', 'ods_code_invalid'],
    ['cis2', { ...cis2, odsCode: 'R1' }, 'odsCode', 'ods_code_invalid'],
    ['cis2', { ...cis2, tenantAllowlist: [TENANT] }, 'tenantAllowlist', 'tenants_not_for_cis2'],
    ['entra', { ...entra, odsCode: 'RJ1' }, 'odsCode', 'ods_code_not_for_entra'],
    ['entra', { ...entra, tenantAllowlist: [] }, 'tenantAllowlist', 'tenant_missing'],
    ['entra', { ...entra, tenantAllowlist: [' '] }, 'tenantAllowlist', 'tenant_missing'],
    ['entra', { ...entra, tenantAllowlist: ['contoso'] }, 'tenantAllowlist', 'tenant_invalid'],
  ])('%s refuses %j: %s %s, changing nothing', async (provider, payload, field, reason) => {
    const code = `sign_in_provider.${reason}`;
    const response = await expectRefused(
      t.db,
      world.clients.coordinatorHere,
      put(provider, payload),
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: `body/${field}`, code }],
      },
    );
    expect(response.body).not.toContain('contoso');
  });

  it('refuses what the contract does not allow', async () => {
    for (const [provider, payload] of [
      ['google', entra],
      ['entra', { ...entra, secret: 'mine' }],
      ['entra', { ...entra, clientId: 'a'.repeat(201) }],
      ['entra', { ...entra, enabled: 'yes' }],
      ['entra', { ...entra, issuer: 'https://idp.example.com/\u0007' }],
    ] as const) {
      await expectRefused(t.db, world.clients.coordinatorHere, put(provider, payload), {
        status: 400,
        code: 'request.invalid',
      });
    }
  });

  it('an ODS code another organisation uses is a conflict (409), changing nothing', async () => {
    const created = await world.clients.coordinatorElsewhere.request({
      method: 'PUT',
      url: url(world.elsewhere.id, 'cis2'),
      payload: { ...cis2, odsCode: 'ZZ901' },
    });
    expect(created.statusCode, created.body).toBe(201);
    await expectRefused(
      t.db,
      world.clients.coordinatorHere,
      put('cis2', { ...cis2, odsCode: 'zz901' }),
      {
        status: 409,
        code: 'sign_in_provider.ods_code_in_use',
        errors: [{ field: 'body/odsCode', code: 'sign_in_provider.ods_code_in_use' }],
      },
    );
  });

  it('creates, replaces and removes, each audited with who changed what and no secret', async () => {
    const untouched = await createOrganisation(t.db);
    const here = world.here.id;
    await world.clients.coordinatorHere.request({ method: 'DELETE', url: url(here, 'cis2') });
    const before = (await auditOf(here)).length;

    const created = await world.clients.coordinatorHere.request(put('cis2', cis2));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ provider: 'cis2', odsCode: 'RJ1', tenantAllowlist: [] });
    const replaced = await world.clients.coordinatorHere.request(
      put('cis2', { ...cis2, clientId: 'carethread-cis2-new', keyName: 'SPARE', enabled: false }),
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(await rowOf(here, 'cis2')).toMatchObject({
      clientId: 'carethread-cis2-new',
      keyName: 'SPARE',
      enabled: false,
      odsCode: 'RJ1',
    });
    // The same settings again change nothing and are not a change to audit.
    const again = await world.clients.coordinatorHere.request(
      put('cis2', { ...cis2, clientId: 'carethread-cis2-new', keyName: 'SPARE', enabled: false }),
    );
    expect(again.statusCode).toBe(200);
    const removed = await world.clients.coordinatorHere.request({
      method: 'DELETE',
      url: url(here, 'cis2'),
    });
    expect(removed.statusCode).toBe(204);

    const events = (await auditOf(here)).slice(before);
    expect(events.map((e) => e.action)).toEqual([
      'sign_in_provider.created',
      'sign_in_provider.updated',
      'sign_in_provider.removed',
    ]);
    const coordinatorName = world.people.coordinatorHere.name;
    for (const event of events) expect(event.actor_label).toContain(coordinatorName);
    expect(events[0]?.details).toMatchObject({ provider: 'cis2', odsCode: 'RJ1', keyName: 'TEST' });
    expect(events[1]?.details).toMatchObject({
      provider: 'cis2',
      changed: ['clientId', 'keyName', 'enabled'],
    });
    expect(events[2]?.details).toMatchObject({ provider: 'cis2', clientId: 'carethread-cis2-new' });
    expect(JSON.stringify(events)).not.toContain('PRIVATE KEY');
    expect(await auditOf(untouched.id)).toEqual([]);
  });

  it('removing a provider the organisation does not have is not found (404)', async () => {
    await world.clients.coordinatorHere.request({
      method: 'DELETE',
      url: url(world.here.id, 'cis2'),
    });
    await expectRefused(
      t.db,
      world.clients.coordinatorHere,
      { method: 'DELETE', url: url(world.here.id, 'cis2') },
      { status: 404, code: 'sign_in_provider.not_found' },
    );
  });
});

describe('issuers and simultaneous saves', () => {
  it('a stored issuer the server no longer trusts is listed as such, and cannot be saved', async () => {
    const coordinator = world.clients.coordinatorHere;
    const here = world.here.id;
    await coordinator.request({ method: 'DELETE', url: url(here, 'cis2') });
    // As an operator set it by SQL before STAFF_SSO_ISSUERS.
    const old = 'https://cis2.old.example.nhs.uk/realms/Healthcare';
    await t.db
      .insert(organisationSignInProviders)
      .values({ organisationId: here, provider: 'cis2', ...cis2, issuer: old, odsCode: 'RJ1' });
    const list = await coordinator.request({ method: 'GET', url: url(here) });
    expect(list.json<{ items: object[] }>().items).toContainEqual(
      expect.objectContaining({ provider: 'cis2', issuer: old, issuerTrusted: false }),
    );
    await expectRefused(
      t.db,
      coordinator,
      { method: 'PUT', url: url(here, 'cis2'), payload: { ...cis2, issuer: old } },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body/issuer', code: 'sign_in_provider.issuer_not_trusted' }],
      },
    );
    await coordinator.request({ method: 'DELETE', url: url(here, 'cis2') });
  });

  // PGlite has one connection: only PostgreSQL runs two requests at once (test/lock-race.ts).
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'of two first saves at once, one creates and the other changes it',
    async () => {
      const here = world.here.id;
      const coordinator = world.clients.coordinatorHere;
      await coordinator.request({ method: 'DELETE', url: url(here, 'entra') });
      const before = (await auditOf(here)).length;
      const save = (clientId: string) => () =>
        coordinator.request({
          method: 'PUT',
          url: url(here, 'entra'),
          payload: { ...entra, clientId },
        });
      // Both find no row yet, then stop at their insert (its foreign key waits for the gate).
      const raced = await race(
        t.db,
        (tx) => tx.execute(sql`select 1 from organisations where id = ${here} for update`),
        save('carethread-a'),
        save('carethread-b'),
        { secondWaits: true },
      );
      expect([raced.first.statusCode, raced.second.statusCode]).toEqual([201, 200]);
      const events = (await auditOf(here)).slice(before);
      expect(events.map((event) => event.action)).toEqual([
        'sign_in_provider.created',
        'sign_in_provider.updated',
      ]);
      expect((await rowOf(here, 'entra'))?.clientId).toBe('carethread-b');
      await coordinator.request({ method: 'DELETE', url: url(here, 'entra') });
    },
  );
});

describe('OpenAPI (DESIGN §5)', () => {
  it('documents the three operations with their operationIds', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId?: string; responses: object }>>;
    }>();
    const one = doc.paths['/api/v1/organisations/{organisationId}/sign-in-providers'];
    const each = doc.paths['/api/v1/organisations/{organisationId}/sign-in-providers/{provider}'];
    expect(one?.get?.operationId).toBe('listSignInProviders');
    expect(each?.put?.operationId).toBe('setSignInProvider');
    expect(each?.delete?.operationId).toBe('removeSignInProvider');
    expect(Object.keys(each?.put?.responses ?? {})).toContain('409');
  });
});

describe('the demo organisation’s CIS2 at start-up (demo mode)', () => {
  it('follows this server’s demo provider, unless its coordinator pointed it elsewhere', async () => {
    const [demo] = await t.db
      .insert(organisations)
      .values({ name: DEMO_ORGANISATION.name, slug: DEMO_ORGANISATION.slug })
      .returning();
    await useDemoCis2(t.db, 'http://localhost:3000/demo-idp/cis2');
    await useDemoCis2(t.db, 'http://localhost:3100/demo-idp/cis2');
    expect((await rowOf(demo!.id, 'cis2'))?.issuer).toBe('http://localhost:3100/demo-idp/cis2');
    await t.db
      .update(organisationSignInProviders)
      .set({ issuer: 'https://cis2.example.nhs.uk/realms/Healthcare' })
      .where(eq(organisationSignInProviders.organisationId, demo!.id));
    await useDemoCis2(t.db, 'http://localhost:3000/demo-idp/cis2');
    expect((await rowOf(demo!.id, 'cis2'))?.issuer).toBe(
      'https://cis2.example.nhs.uk/realms/Healthcare',
    );
  });
});
