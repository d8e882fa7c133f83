import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import {
  hashToken,
  LAST_SEEN_GRANULARITY_MS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
} from './identity.queries';
import { sessions } from './identity.schema';

let t: TestApp;
let organisationId: string;
let teamId: string;
beforeAll(async () => {
  t = await buildTestApp();
  organisationId = (await createOrganisation(t.db)).id;
  teamId = (await createTeam(t.db, organisationId)).id;
});
afterAll(() => t.close());

const getSession = (client: Client) =>
  t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: client.cookie } });

function tokenHashOf(client: Client): string {
  const signed = decodeURIComponent(client.cookie.slice('carethread_session='.length));
  return hashToken(signed.slice(0, signed.lastIndexOf('.')));
}

async function lastSeen(client: Client): Promise<string | undefined> {
  const [row] = await t.db
    .select({ lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(eq(sessions.tokenHash, tokenHashOf(client)));
  return row?.lastSeenAt.toISOString();
}

async function signedInMember(): Promise<Client> {
  const staff = await createProfessional(t.db, organisationId, [{ teamId, role: 'member' }]);
  return signIn(t.app, staff.email);
}

describe('last seen', () => {
  it('moves on at most once a minute, to the time of the request that moved it', async () => {
    const client = await signedInMember();
    const signedInAt = await lastSeen(client);

    t.clock.advance(LAST_SEEN_GRANULARITY_MS - 1000);
    expect((await getSession(client)).statusCode).toBe(200);
    expect(await lastSeen(client)).toBe(signedInAt);

    t.clock.advance(1000);
    expect((await getSession(client)).statusCode).toBe(200);
    expect(await lastSeen(client)).toBe(t.clock.now().toISOString());
  });
});

describe('getSessionExpiry: how long is left, asked without counting as activity (WCAG 2.2.1)', () => {
  const expiry = (client: Client) =>
    t.app.inject({
      method: 'GET',
      url: '/api/v1/session/expiry',
      headers: { cookie: client.cookie },
    });

  it('says when the session ends, and asking does not move it on', async () => {
    const client = await signedInMember();
    const signedInAt = t.clock.now().getTime();
    t.clock.advance(SESSION_IDLE_MS - 60_000);
    const first = await expiry(client);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      now: t.clock.now().toISOString(),
      idleExpiresAt: new Date(signedInAt + SESSION_IDLE_MS).toISOString(),
      expiresAt: new Date(signedInAt + SESSION_ABSOLUTE_MS).toISOString(),
    });
    expect(await lastSeen(client)).toBe(new Date(signedInAt).toISOString());

    // Asking again and again keeps nobody signed in.
    t.clock.advance(60_000);
    expect((await expiry(client)).statusCode).toBe(401);
    expect((await getSession(client)).statusCode).toBe(401);
  });

  it('any other request is activity: the idle end moves on', async () => {
    const client = await signedInMember();
    t.clock.advance(20 * 60_000);
    expect((await getSession(client)).statusCode).toBe(200);
    const after = (await expiry(client)).json<{ idleExpiresAt: string }>();
    expect(after.idleExpiresAt).toBe(
      new Date(t.clock.now().getTime() + SESSION_IDLE_MS).toISOString(),
    );
  });

  it('the web app’s background refreshes do not count as activity either', async () => {
    const client = await signedInMember();
    const signedInAt = await lastSeen(client);
    t.clock.advance(20 * 60_000);
    const background = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: client.cookie, 'x-carethread-background': '1' },
    });
    expect(background.statusCode).toBe(200);
    expect(await lastSeen(client)).toBe(signedInAt);
    expect((await getSession(client)).statusCode).toBe(200);
    expect(await lastSeen(client)).toBe(t.clock.now().toISOString());
  });

  it('answers 401 without a session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/session/expiry' });
    expect(response.statusCode).toBe(401);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('last seen on PostgreSQL', () => {
  it('a request does not wait while another request of the same session moves last seen', async () => {
    const client = await signedInMember();
    const signedInAt = await lastSeen(client);
    t.clock.advance(2 * LAST_SEEN_GRANULARITY_MS);

    // Another connection holds the session row, as a request moving last seen does until it
    // commits.
    const [current] = await queryRows<{ name: string }>(
      t.db,
      sql`select current_database() as name`,
    );
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${current!.name}`;
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from sessions where token_hash = $1 for update', [
        tokenHashOf(client),
      ]);
      // Were it to wait, the lock would never be let go; after a generous while the test lets
      // go of it itself, so it fails here rather than hanging.
      let timer: NodeJS.Timeout | undefined;
      const answer = await Promise.race([
        getSession(client).then((response) => response.statusCode),
        new Promise<'still waiting'>((resolve) => {
          timer = setTimeout(() => resolve('still waiting'), 10_000);
        }),
      ]);
      clearTimeout(timer);
      expect(answer).toBe(200);
      expect(await lastSeen(client)).toBe(signedInAt);
    } finally {
      await other.query('rollback');
      await other.end();
    }

    // With the row free again, the next request moves it.
    expect((await getSession(client)).statusCode).toBe(200);
    expect(await lastSeen(client)).toBe(t.clock.now().toISOString());
  });
});
