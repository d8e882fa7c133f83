import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps';
import {
  clearSessionCookie,
  requireSession,
  setSessionCookie,
} from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { signInWithPassword, signOut } from './identity.commands';
import { SessionResponse, SignInBody } from './identity.contracts';
import { presentSession } from './identity.presenters';

export function identityRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const secureCookie = deps.config.nodeEnv === 'production';
  return async (app) => {
    app.post(
      '/session',
      {
        // SameSite cookies already stop cross-site posts; a token would only block switching accounts.
        config: { csrf: false },
        schema: {
          operationId: 'signInWithPassword',
          tags: ['identity'],
          summary: 'Sign in with email and password',
          body: SignInBody,
          response: { 200: SessionResponse, ...errorResponses(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const { token, session } = await signInWithPassword(
          deps,
          request.body,
          requestFacts(request),
          request.session,
        );
        setSessionCookie(reply, token, secureCookie);
        return presentSession(session);
      },
    );

    app.get(
      '/session',
      {
        schema: {
          operationId: 'getSession',
          tags: ['identity'],
          summary: 'The signed-in user and the CSRF token for state-changing requests',
          response: { 200: SessionResponse, ...errorResponses(401) },
        },
      },
      async (request) => presentSession(requireSession(request)),
    );

    app.delete(
      '/session',
      {
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
  };
}
