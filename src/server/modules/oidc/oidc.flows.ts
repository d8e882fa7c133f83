import { randomBytes } from 'node:crypto';
import { eq, lte } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { hashToken } from '../identity/identity.queries';
import { type OfferedRole, type OidcProvider, oidcSignInFlows } from './oidc.schema';

/** The cookie binding a sign-in in progress to the browser that started it. */
export const FLOW_COOKIE = 'carethread_oidc';
export const FLOW_COOKIE_PATH = '/api/v1/oidc';
/** How long a person has to sign in at the provider, or to choose a role. */
export const FLOW_TTL_MS = 10 * 60 * 1000;

export type Flow = typeof oidcSignInFlows.$inferSelect;

/**
 * Where a sign-in may send the browser afterwards: a path of this app, never another site.
 * Printable ASCII only, as a percent-encoded path is: browsers drop tabs and line breaks from
 * a URL, so `/<tab>/host` would become `//host`, another site; and a Location header cannot
 * carry a line break or a character beyond Latin-1.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//')) return null;
  if (!/^[\x21-\x7e]*$/.test(value)) return null;
  if (value.includes('\\') || value.startsWith('/api/') || value.length > 512) return null;
  return value;
}

/** Stores a new flow and returns the random key for the browser's cookie. */
export async function beginFlow(
  db: Database,
  now: Date,
  fields: {
    provider: OidcProvider;
    organisationId: string | null;
    state: string;
    nonce: string;
    codeVerifier: string;
    returnTo: string | null;
  },
): Promise<string> {
  const browserKey = randomBytes(32).toString('base64url');
  // Flows abandoned at the provider go as soon as anyone starts another.
  await db.delete(oidcSignInFlows).where(lte(oidcSignInFlows.expiresAt, now));
  await db.insert(oidcSignInFlows).values({
    browserKeyHash: hashToken(browserKey),
    ...fields,
    createdAt: now,
    expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
  });
  return browserKey;
}

/**
 * Takes the browser's flow out of the database: it can be completed once only. Null when
 * there is none, it has expired, or it is waiting for a role choice (not a callback).
 */
export async function takeFlow(
  db: Database,
  browserKey: string | undefined,
  now: Date,
): Promise<Flow | null> {
  if (!browserKey) return null;
  const [flow] = await db
    .delete(oidcSignInFlows)
    .where(eq(oidcSignInFlows.browserKeyHash, hashToken(browserKey)))
    .returning();
  if (!flow || flow.expiresAt <= now) return null;
  return flow;
}

/** Keeps a CIS2 sign-in waiting while the professional chooses one of several roles. */
export async function holdForRoleChoice(
  db: Database,
  flow: Flow,
  browserKey: string,
  now: Date,
  professionalId: string,
  roles: OfferedRole[],
): Promise<void> {
  await db.insert(oidcSignInFlows).values({
    browserKeyHash: hashToken(browserKey),
    provider: flow.provider,
    organisationId: flow.organisationId,
    state: '',
    nonce: '',
    codeVerifier: '',
    returnTo: flow.returnTo,
    professionalId,
    roles,
    createdAt: now,
    expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
  });
}

/** The role choice waiting for this browser, without consuming it. */
export async function findRoleChoice(
  db: Database,
  browserKey: string | undefined,
  now: Date,
): Promise<(Flow & { professionalId: string; roles: OfferedRole[] }) | null> {
  if (!browserKey) return null;
  const [flow] = await db
    .select()
    .from(oidcSignInFlows)
    .where(eq(oidcSignInFlows.browserKeyHash, hashToken(browserKey)));
  if (!flow || flow.expiresAt <= now || !flow.professionalId || !flow.roles) return null;
  return { ...flow, professionalId: flow.professionalId, roles: flow.roles };
}
