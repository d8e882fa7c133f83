import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps';
import {
  clearSessionCookie,
  requireSession,
  setSessionCookie,
} from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { signInWithPassword, signOut, signOutEverywhere } from './identity.commands';
import {
  SecondFactorRequiredResponse,
  SessionExpiryResponse,
  SessionResponse,
  SignInBody,
  SignInCodeBody,
  SignInRecoveryCodeBody,
} from './identity.contracts';
import { presentSession } from './identity.presenters';
import { verifySignInCode, verifySignInRecoveryCode } from './second-factor.commands';
import { SIGN_IN_CHALLENGE_MS } from './sessions';
import { totpRoutes } from './totp.routes';

/** The pending half of a sign-in (password right, code due), sent only to the sign-in paths. */
export const SIGN_IN_CHALLENGE_COOKIE = 'carethread_sign_in';
const CHALLENGE_PATH = '/api/v1/session';

export function identityRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const secureCookie = deps.config.nodeEnv === 'production';

  const challengeOf = (request: FastifyRequest): string | null => {
    const raw = request.cookies[SIGN_IN_CHALLENGE_COOKIE];
    if (raw === undefined) return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid ? unsigned.value : null;
  };
  const clearChallenge = (reply: FastifyReply) =>
    void reply.clearCookie(SIGN_IN_CHALLENGE_COOKIE, { path: CHALLENGE_PATH });

  // Opening a session needs no CSRF token (SameSite cookies already stop cross-site posts; a
  // token would only block switching accounts), and works whatever the current session owes.
  const opensSession = { csrf: false, beforeTotpSetup: true };
  const secondStepErrors = errorResponses(400, 401, 429);

  return async (app) => {
    app.post(
      '/session',
      {
        config: opensSession,
        schema: {
          operationId: 'signInWithPassword',
          tags: ['identity'],
          summary: 'Sign in with email and password',
          description:
            'Answers 200 with the session, or 202 `auth.second_factor_required` when the account has an authenticator app: then send the code to `verifySignInCode` (or a recovery code to `verifySignInRecoveryCode`) within five minutes, with the cookie this response sets.',
          body: SignInBody,
          response: {
            200: SessionResponse,
            202: SecondFactorRequiredResponse,
            ...errorResponses(400, 401, 429),
          },
        },
      },
      async (request, reply) => {
        const outcome = await signInWithPassword(
          deps,
          request.body,
          requestFacts(request),
          request.session,
        );
        if (outcome.kind === 'second_factor_required') {
          void reply.setCookie(SIGN_IN_CHALLENGE_COOKIE, outcome.challengeToken, {
            path: CHALLENGE_PATH,
            httpOnly: true,
            sameSite: 'strict',
            secure: secureCookie,
            signed: true,
            maxAge: SIGN_IN_CHALLENGE_MS / 1000,
          });
          return reply.code(202).send({
            state: 'auth.second_factor_required' as const,
            expiresAt: outcome.expiresAt.toISOString(),
          });
        }
        clearChallenge(reply);
        setSessionCookie(reply, outcome.token, secureCookie);
        return presentSession(outcome.session);
      },
    );

    app.post(
      '/session/code',
      {
        config: opensSession,
        schema: {
          operationId: 'verifySignInCode',
          tags: ['identity'],
          summary: 'Finish a password sign-in with the code from the authenticator app',
          body: SignInCodeBody,
          response: { 200: SessionResponse, ...secondStepErrors },
        },
      },
      async (request, reply) => {
        const { token, session } = await verifySignInCode(
          deps,
          challengeOf(request),
          request.body.code,
          requestFacts(request),
          request.session,
        );
        clearChallenge(reply);
        setSessionCookie(reply, token, secureCookie);
        return presentSession(session);
      },
    );

    app.post(
      '/session/recovery-code',
      {
        config: opensSession,
        schema: {
          operationId: 'verifySignInRecoveryCode',
          tags: ['identity'],
          summary: 'Finish a password sign-in with a single-use recovery code',
          body: SignInRecoveryCodeBody,
          response: { 200: SessionResponse, ...secondStepErrors },
        },
      },
      async (request, reply) => {
        const { token, session } = await verifySignInRecoveryCode(
          deps,
          challengeOf(request),
          request.body.recoveryCode,
          requestFacts(request),
          request.session,
        );
        clearChallenge(reply);
        setSessionCookie(reply, token, secureCookie);
        return presentSession(session);
      },
    );

    app.get(
      '/session',
      {
        config: { beforeTotpSetup: true },
        schema: {
          operationId: 'getSession',
          tags: ['identity'],
          summary: 'The signed-in user and the CSRF token for state-changing requests',
          response: { 200: SessionResponse, ...errorResponses(401) },
        },
      },
      async (request) => presentSession(requireSession(request)),
    );

    app.get(
      '/session/expiry',
      {
        config: { beforeTotpSetup: true, touchesSession: false },
        schema: {
          operationId: 'getSessionExpiry',
          tags: ['identity'],
          summary: 'When the session ends, asked without counting as activity',
          description:
            'For warning people before they are signed out for inactivity (WCAG 2.2.1). Any ' +
            'other request with the session counts as activity and moves idleExpiresAt on.',
          response: { 200: SessionExpiryResponse, ...errorResponses(401) },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return {
          now: deps.clock().toISOString(),
          idleExpiresAt: session.idleExpiresAt.toISOString(),
          expiresAt: session.expiresAt.toISOString(),
        };
      },
    );

    app.delete(
      '/session',
      {
        config: { beforeTotpSetup: true },
        schema: {
          operationId: 'signOut',
          tags: ['identity'],
          summary: 'End the session on the server',
          response: { 204: Type.Null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        await signOut(deps, requireSession(request), requestFacts(request));
        clearSessionCookie(reply);
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/me/sessions',
      {
        config: { beforeTotpSetup: true },
        schema: {
          operationId: 'signOutEverywhere',
          tags: ['identity'],
          summary: 'End every session of the signed-in user, on every device',
          response: { 204: Type.Null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        await signOutEverywhere(deps, requireSession(request), requestFacts(request));
        clearSessionCookie(reply);
        return reply.code(204).send(null);
      },
    );

    await app.register(totpRoutes(deps));
  };
}
