import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import type { OidcRuntime } from './oidc.runtime';
import {
  listSignInProviders,
  removeSignInProvider,
  setSignInProvider,
} from './sign-in-providers.commands';
import {
  OrganisationParams,
  ProviderParams,
  SetSignInProviderBody,
  SignInProviderListSchema,
  SignInProviderSchema,
} from './sign-in-providers.contracts';

const tags = ['identity'];

/** Coordinators set up their organisation's staff single sign-on (under /api/v1). */
export function signInProviderRoutes(
  deps: AppDeps,
  runtime: OidcRuntime,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/organisations/:organisationId/sign-in-providers',
      {
        schema: {
          operationId: 'listSignInProviders',
          tags,
          summary:
            'An organisation’s staff single sign-on, the key names and redirect URI (coordinators)',
          params: OrganisationParams,
          response: { 200: SignInProviderListSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listSignInProviders(deps, runtime, request.actor, request.params.organisationId),
    );

    app.put(
      '/organisations/:organisationId/sign-in-providers/:provider',
      {
        schema: {
          operationId: 'setSignInProvider',
          tags,
          summary: 'Set up or change NHS CIS2 or Microsoft Entra ID sign-in (coordinators)',
          params: ProviderParams,
          body: SetSignInProviderBody,
          response: {
            200: SignInProviderSchema,
            201: SignInProviderSchema,
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { provider, created } = await setSignInProvider(
          deps,
          runtime,
          request.actor,
          request.params,
          request.body,
          requestFacts(request),
        );
        return reply.code(created ? 201 : 200).send(provider);
      },
    );

    app.delete(
      '/organisations/:organisationId/sign-in-providers/:provider',
      {
        schema: {
          operationId: 'removeSignInProvider',
          tags,
          summary: 'Stop staff signing in with this provider (coordinators)',
          params: ProviderParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await removeSignInProvider(deps, request.actor, request.params, requestFacts(request));
        return reply.code(204).send(null);
      },
    );
  };
}
