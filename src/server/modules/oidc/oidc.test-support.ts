import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { expect } from 'vitest';
import { createDemoIssuer, type DemoIssuer, demoIdpHandler } from '../../demo/demo-idp';
import type { DemoPerson } from '../../demo/demo-idp-people';
import { queryRows, type Database } from '../../platform/db/database';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { NHS_LOGIN_CLAIMS } from '../../demo/demo-idp-mount';
import { NHS_LOGIN_CALLBACK_PATH, type STAFF_CALLBACK_PATH } from './oidc.runtime';

/** Helpers for sign-in tests: our client key, identity providers on loopback, a browser. */

export const TEST_CLIENT_ID = 'carethread-test';
export const PUBLIC_URL = 'http://localhost:3000';

export interface ClientKey {
  pem: string;
  jwk: JWK;
}

/** A fresh RS512 key pair: the PEM for our configuration, the public JWK for the provider. */
export async function clientKey(): Promise<ClientKey> {
  const pair = await generateKeyPair('RS512', { extractable: true, modulusLength: 2048 });
  return {
    pem: await exportPKCS8(pair.privateKey),
    // No `alg`: the same key signs NHS login (RS512) and staff (RS256) assertions.
    jwk: { ...(await exportJWK(pair.publicKey)), use: 'sig' },
  };
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port; the handler may be set after listening. */
export async function listen(
  handler?: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer & { setHandler(h: NonNullable<typeof handler>): void }> {
  let current = handler;
  const server = http.createServer((req, res) => {
    if (!current) {
      res.statusCode = 503;
      res.end();
      return;
    }
    Promise.resolve(current(req, res)).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setHandler: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoopbackIssuerOptions {
  name: string;
  people: DemoPerson[];
  claims: Record<string, string[]>;
  key: ClientKey;
  callbackPath: typeof NHS_LOGIN_CALLBACK_PATH | typeof STAFF_CALLBACK_PATH;
  idTokenAlg: 'RS256' | 'RS512';
  extraParams?: string[];
}

/** Identity providers (oidc-provider) listening on loopback, under /demo-idp/<name>. */
export async function loopbackIssuers(
  specs: LoopbackIssuerOptions[],
): Promise<{ server: LoopbackServer; issuers: Record<string, DemoIssuer> }> {
  const server = await listen();
  const issuers: Record<string, DemoIssuer> = {};
  for (const spec of specs) {
    issuers[spec.name] = await createDemoIssuer({
      issuer: `${server.url}/demo-idp/${spec.name}`,
      serviceName: spec.name,
      people: spec.people,
      claims: spec.claims,
      client: {
        clientId: TEST_CLIENT_ID,
        redirectUris: [`${PUBLIC_URL}${spec.callbackPath}`],
        jwk: spec.key.jwk,
        idTokenAlg: spec.idTokenAlg,
      },
      ...(spec.extraParams ? { extraParams: spec.extraParams } : {}),
    });
  }
  server.setHandler(demoIdpHandler(Object.values(issuers)));
  return { server, issuers };
}

/** A browser's cookies for the identity provider (names only: it is one loopback host). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Plays the person at the browser on the provider's side: follows redirects from the
 * authorisation URL, picks `sub` on the login page, and returns the URL the provider sends
 * the browser back to (our callback, with code and state).
 */
export async function signInAtProvider(authorizationUrl: string, sub: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let hops = 0; hops < 12; hops++) {
    if (url.href.startsWith(PUBLIC_URL)) return url;
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+\/login)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) {
      throw new Error(`unexpected page from the provider: ${response.status}`);
    }
    expect(html).toContain(`value="${sub}"`);
    url = new URL(action, url);
    method = 'POST';
    body = new URLSearchParams({ person: sub }).toString();
  }
  throw new Error('too many redirects at the provider');
}

/** The redirect of one of our sign-in routes, with the cookies it set. */
export function redirectOf(response: LightMyRequestResponse): {
  location: string;
  cookie: (name: string) => string | undefined;
} {
  expect(response.statusCode, response.body).toBe(303);
  return {
    location: String(response.headers.location),
    cookie: (name) => response.cookies.find((c) => c.name === name && c.value !== '')?.value,
  };
}

export interface SignInResult {
  /** Where our callback sent the browser. */
  location: string;
  /** The `carethread_session` cookie header, when a session was opened. */
  session: string | null;
  /** The flow cookie, when the sign-in is waiting (for a role choice). */
  flow: string | null;
}

/** Runs a whole sign-in: our start route, the provider, our callback. */
export async function signInThrough(
  app: FastifyInstance,
  startUrl: string,
  sub: string,
  tamper: (callback: URL) => URL = (u) => u,
): Promise<SignInResult> {
  const start = redirectOf(await app.inject({ method: 'GET', url: startUrl }));
  const flow = start.cookie('carethread_oidc');
  expect(flow).toBeDefined();
  const callback = tamper(await signInAtProvider(start.location, sub));
  return callbackWith(app, callback, flow!);
}

export async function callbackWith(
  app: FastifyInstance,
  callback: URL,
  flow: string,
): Promise<SignInResult> {
  const response = await app.inject({
    method: 'GET',
    url: callback.pathname + callback.search,
    headers: { cookie: `carethread_oidc=${flow}` },
  });
  const done = redirectOf(response);
  const session = done.cookie('carethread_session');
  const kept = done.cookie('carethread_oidc');
  return {
    location: done.location,
    session: session ? `carethread_session=${session}` : null,
    flow: kept ?? null,
  };
}

export async function countRows(db: Database, table: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return row?.n ?? 0;
}

/**
 * NHS login (oidc-provider on loopback, with these people) and an app that signs in with it.
 * The people are fixed when the provider starts: make them first.
 */
export async function startNhsLoginWorld(
  people: DemoPerson[],
): Promise<{ t: TestApp; server: LoopbackServer; idp: DemoIssuer; key: ClientKey }> {
  const key = await clientKey();
  const loopback = await loopbackIssuers([
    {
      name: 'nhs-login',
      people,
      claims: NHS_LOGIN_CLAIMS,
      key,
      callbackPath: NHS_LOGIN_CALLBACK_PATH,
      idTokenAlg: 'RS512',
      extraParams: ['vtr'],
    },
  ]);
  const idp = loopback.issuers['nhs-login']!;
  const t = await buildTestApp({
    env: {
      NHS_LOGIN_ISSUER: idp.issuer,
      NHS_LOGIN_CLIENT_ID: TEST_CLIENT_ID,
      NHS_LOGIN_PRIVATE_KEY: key.pem,
    },
  });
  return { t, server: loopback.server, idp, key };
}
