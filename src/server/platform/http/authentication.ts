import { timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../modules/identity/actor';
import { ANONYMOUS } from '../../modules/identity/actor';
import type { ResolvedSession } from '../../modules/identity/identity.queries';
import { AppError } from './problem';

export const SESSION_COOKIE = 'carethread_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Sent by the web app on requests nobody asked for just then (live refreshes, polls). */
export const BACKGROUND_HEADER = 'x-carethread-background';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** False on the one route that opens a session, so signing in again needs no token. */
    csrf?: boolean;
    /**
     * True on the few routes a session may use before its user has set up the
     * authenticator app their organisation requires: session, sign-in and set-up routes.
     */
    beforeTotpSetup?: boolean;
    /** False on routes that read the session without counting as activity (its expiry). */
    touchesSession?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
    session: ResolvedSession | null;
  }
}

export type SessionResolver = (
  token: string,
  options: { touch: boolean },
) => Promise<ResolvedSession | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthenticated = () =>
  new AppError(401, 'auth.unauthenticated', 'Sign in required', 'Sign in to continue.');

export const totpSetupRequired = () =>
  new AppError(
    403,
    'auth.totp_setup_required',
    'Set up your authenticator app',
    'Your organisation requires an authenticator app. Set one up before you continue.',
  );

/**
 * Resolves the actor of every request from its session cookie and enforces the CSRF token
 * on state-changing requests that ride on a session (DESIGN §5).
 */
export function registerAuthentication(app: FastifyInstance, resolve: SessionResolver): void {
  // Filled in by the hook below for every request; Fastify wants a non-object placeholder.
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.addHook('preHandler', async (request) => {
    request.actor = ANONYMOUS;
    request.session = null;
    const raw = request.cookies[SESSION_COOKIE];
    if (raw === undefined) return;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return;
    // Only what the person does keeps their session: not the expiry check, not the page's
    // own background refreshes.
    const session = await resolve(unsigned.value, {
      touch:
        request.routeOptions.config.touchesSession !== false &&
        request.headers[BACKGROUND_HEADER] !== '1',
    });
    if (!session) return;
    const csrfExempt = request.routeOptions.config.csrf === false;
    if (
      !SAFE_METHODS.has(request.method) &&
      !csrfExempt &&
      !csrfMatches(request, session.csrfToken)
    ) {
      throw new AppError(
        403,
        'auth.csrf_failed',
        'Forbidden',
        'The form has expired. Reload the page and try again.',
      );
    }
    if (
      session.totpSetupRequired &&
      request.routeOptions.config.beforeTotpSetup !== true &&
      request.url.startsWith('/api/')
    ) {
      throw totpSetupRequired();
    }
    request.session = session;
    request.actor = session.actor;
  });
}

function csrfMatches(request: FastifyRequest, expected: string): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signed-in session of a request, or 401. */
export function requireSession(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw unauthenticated();
  return request.session;
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: true,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
