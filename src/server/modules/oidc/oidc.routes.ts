import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps';
import { setSessionCookie } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { SessionResponse } from '../identity/identity.contracts';
import { presentSession } from '../identity/identity.presenters';
import {
  chooseStaffRole,
  completeNhsLogin,
  completeStaffSignIn,
  getRoleChoice,
  getSignInOptions,
  type SignInOutcome,
  startNhsLogin,
  startStaffSignIn,
} from './oidc.commands';
import {
  CallbackQuery,
  ChooseRoleBody,
  Redirect,
  ReturnToQuery,
  RoleChoice,
  SignInOptions,
  StaffStartQuery,
} from './oidc.contracts';
import { OidcRefusal } from './oidc.errors';
import { FLOW_COOKIE, FLOW_COOKIE_PATH, FLOW_TTL_MS, safeReturnTo } from './oidc.flows';
import type { OidcRuntime } from './oidc.runtime';

export const SIGN_IN_PROBLEM_PATH = '/sign-in/problem';

/** Sign-in routes are reachable with any session, even one still owing its TOTP set-up. */
const signInRoute = { csrf: false, beforeTotpSetup: true } as const;

export function oidcRoutes(deps: AppDeps, runtime: OidcRuntime): FastifyPluginAsyncTypebox {
  const secure = deps.config.nodeEnv === 'production';

  const browserKeyOf = (request: FastifyRequest): string | undefined => {
    const raw = request.cookies[FLOW_COOKIE];
    if (raw === undefined) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value !== null ? unsigned.value : undefined;
  };
  const setFlowCookie = (reply: FastifyReply, browserKey: string) =>
    void reply.setCookie(FLOW_COOKIE, browserKey, {
      path: FLOW_COOKIE_PATH,
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level navigation, which carries it.
      sameSite: 'lax',
      secure,
      signed: true,
      maxAge: FLOW_TTL_MS / 1000,
    });
  const clearFlowCookie = (reply: FastifyReply) =>
    void reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH });

  /** Browser navigations end in a page of the app: where to go next, or why it failed. */
  async function navigate(
    request: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<{ location: string; browserKey?: string; sessionToken?: string }>,
  ) {
    try {
      const { location, browserKey, sessionToken } = await work();
      if (browserKey) setFlowCookie(reply, browserKey);
      if (sessionToken) setSessionCookie(reply, sessionToken, secure);
      return reply.redirect(location, 303);
    } catch (error) {
      if (!(error instanceof OidcRefusal)) throw error;
      request.log.info({ refusal: error.code }, 'sign-in refused');
      clearFlowCookie(reply);
      return reply.redirect(`${SIGN_IN_PROBLEM_PATH}?code=${encodeURIComponent(error.code)}`, 303);
    }
  }

  const afterCallback = (outcome: SignInOutcome, browserKey: string | undefined) =>
    outcome.kind === 'signed_in'
      ? { location: outcome.destination, sessionToken: outcome.token }
      : { location: outcome.destination, ...(browserKey ? { browserKey } : {}) };

  const search = (request: FastifyRequest) => {
    const at = request.url.indexOf('?');
    return at === -1 ? '' : request.url.slice(at);
  };

  return async (app) => {
    app.get(
      '/sign-in/options',
      {
        config: signInRoute,
        schema: {
          operationId: 'getSignInOptions',
          tags: ['identity'],
          summary:
            'How people may sign in here: NHS login, and staff single sign-on by organisation',
          response: { 200: SignInOptions, ...errorResponses(500) },
        },
      },
      async () => getSignInOptions(deps, runtime),
    );

    app.get(
      '/oidc/nhs-login/start',
      {
        config: signInRoute,
        schema: {
          operationId: 'startNhsLogin',
          tags: ['identity'],
          summary: 'Send the browser to NHS login (authorisation code with PKCE)',
          querystring: ReturnToQuery,
          response: { 303: Redirect, ...errorResponses(400) },
        },
      },
      (request, reply) =>
        navigate(request, reply, async () => {
          const started = await startNhsLogin(deps, runtime, safeReturnTo(request.query.returnTo));
          return { location: started.url, browserKey: started.browserKey };
        }),
    );

    app.get(
      '/oidc/nhs-login/callback',
      {
        config: signInRoute,
        schema: {
          operationId: 'completeNhsLogin',
          tags: ['identity'],
          summary: 'Where NHS login sends the browser back; opens the session or explains why not',
          querystring: CallbackQuery,
          response: { 303: Redirect, ...errorResponses(400) },
        },
      },
      (request, reply) =>
        navigate(request, reply, async () =>
          afterCallback(
            await completeNhsLogin(
              deps,
              runtime,
              browserKeyOf(request),
              search(request),
              requestFacts(request),
              request.session,
            ),
            undefined,
          ),
        ),
    );

    app.get(
      '/oidc/staff/start',
      {
        config: signInRoute,
        schema: {
          operationId: 'startStaffSignIn',
          tags: ['identity'],
          summary: "Send the browser to the organisation's single sign-on (CIS2 or Entra ID)",
          querystring: StaffStartQuery,
          response: { 303: Redirect, ...errorResponses(400) },
        },
      },
      (request, reply) =>
        navigate(request, reply, async () => {
          const started = await startStaffSignIn(
            deps,
            runtime,
            request.query.organisationId,
            request.query.provider ?? null,
            safeReturnTo(request.query.returnTo),
          );
          return { location: started.url, browserKey: started.browserKey };
        }),
    );

    app.get(
      '/oidc/staff/callback',
      {
        config: signInRoute,
        schema: {
          operationId: 'completeStaffSignIn',
          tags: ['identity'],
          summary: 'Where staff single sign-on sends the browser back',
          querystring: CallbackQuery,
          response: { 303: Redirect, ...errorResponses(400) },
        },
      },
      (request, reply) =>
        navigate(request, reply, async () => {
          const browserKey = browserKeyOf(request);
          return afterCallback(
            await completeStaffSignIn(
              deps,
              runtime,
              browserKey,
              search(request),
              requestFacts(request),
              request.session,
            ),
            browserKey,
          );
        }),
    );

    app.get(
      '/oidc/staff/roles',
      {
        config: signInRoute,
        schema: {
          operationId: 'getStaffRoleChoice',
          tags: ['identity'],
          summary: 'The CIS2 roles this browser may choose from to finish signing in',
          response: { 200: RoleChoice, ...errorResponses(400) },
        },
      },
      async (request) => {
        try {
          return { roles: await getRoleChoice(deps, browserKeyOf(request)) };
        } catch (error) {
          throw error instanceof OidcRefusal ? error.toAppError() : error;
        }
      },
    );

    app.post(
      '/oidc/staff/roles',
      {
        config: signInRoute,
        schema: {
          operationId: 'chooseStaffRole',
          tags: ['identity'],
          summary: 'Finish a CIS2 sign-in with the chosen role, authorised on its organisation',
          body: ChooseRoleBody,
          response: { 200: SessionResponse, ...errorResponses(400) },
        },
      },
      async (request, reply) => {
        try {
          const signedIn = await chooseStaffRole(
            deps,
            browserKeyOf(request),
            request.body.roleId,
            requestFacts(request),
            request.session,
          );
          clearFlowCookie(reply);
          setSessionCookie(reply, signedIn.token, secure);
          return presentSession(signedIn.session);
        } catch (error) {
          throw error instanceof OidcRefusal ? error.toAppError() : error;
        }
      },
    );
  };
}
