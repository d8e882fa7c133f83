import formBody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { AppError } from '../../platform/http/problem';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import {
  createIntegrationClient,
  listIntegrationClients,
  revokeIntegrationClient,
} from './integrations.commands';
import {
  ClientParams,
  CreatedIntegrationClientSchema,
  CreateIntegrationClientBody,
  IntegrationClientListSchema,
  OrganisationParams,
} from './integrations.contracts';
import { issueToken, OAuthError } from './integrations.tokens';

const tags = ['integrations'];

/** Coordinators connect and disconnect their organisation's systems (under /api/v1). */
export function integrationRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/organisations/:organisationId/integration-clients',
      {
        schema: {
          operationId: 'listIntegrationClients',
          tags,
          summary: 'The systems connected to the FHIR API for an organisation (coordinators)',
          params: OrganisationParams,
          response: { 200: IntegrationClientListSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => listIntegrationClients(deps, request.actor, request.params.organisationId),
    );

    app.post(
      '/organisations/:organisationId/integration-clients',
      {
        schema: {
          operationId: 'createIntegrationClient',
          tags,
          summary: 'Connect a system: its client id and a secret shown only this once',
          params: OrganisationParams,
          body: CreateIntegrationClientBody,
          response: {
            201: CreatedIntegrationClientSchema,
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const created = await createIntegrationClient(
          deps,
          request.actor,
          request.params.organisationId,
          request.body,
          requestFacts(request),
        );
        return reply.code(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.delete(
      '/integration-clients/:clientId',
      {
        schema: {
          operationId: 'revokeIntegrationClient',
          tags,
          summary: 'Disconnect a system: its tokens stop working at once',
          params: ClientParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await revokeIntegrationClient(
          deps,
          request.actor,
          request.params.clientId,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );
  };
}

const TokenRequestBody = Type.Object(
  {
    grant_type: Type.String({ description: 'client_credentials' }),
    scope: Type.Optional(Type.String({ description: 'Space-separated; all the client’s if none' })),
    client_id: Type.Optional(Type.String({ description: 'With client_secret_post' })),
    client_secret: Type.Optional(Type.String({ description: 'With client_secret_post' })),
  },
  // OAuth 2 servers ignore parameters they do not know (RFC 6749 §3.1).
  { additionalProperties: true },
);
type TokenRequest = Type.Static<typeof TokenRequestBody>;

const OAuthErrorSchema = Type.Object({
  error: Type.String(),
  error_description: Type.String(),
});

/** HTTP Basic (client_secret_basic), else the form's client_id and client_secret. */
function credentialsOf(
  request: FastifyRequest,
  body: TokenRequest,
): { clientId: string; clientSecret: string } {
  const header = request.headers.authorization;
  if (header !== undefined) {
    // The scheme's name is case-insensitive (RFC 7235 §2.1).
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 1) {
      throw new OAuthError(401, 'invalid_client', 'The client id or secret is not right.');
    }
    // RFC 6749 §2.3.1: both halves are form-encoded before they are joined.
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      throw new OAuthError(401, 'invalid_client', 'The client id or secret is not right.');
    }
  }
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string') {
    return { clientId: body.client_id, clientSecret: body.client_secret };
  }
  throw new OAuthError(401, 'invalid_client', 'Authenticate the client with HTTP Basic.');
}

/** The OAuth 2 token endpoint for connected systems (client credentials only). */
export function tokenRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // RFC 6749 token requests are forms; a JSON body is an invalid request, not another way.
    app.removeAllContentTypeParsers();
    await app.register(formBody);
    app.setErrorHandler((error: FastifyError, _request, reply) => {
      const badRequest =
        error.validation !== undefined ||
        error.code?.startsWith('FST_ERR_CTP') ||
        // Refused before the contract (a NUL character, say): still an OAuth error body.
        (error instanceof AppError && error.status === 400);
      // Anything else (the database gone, say) is the server's fault: the app's handler says so.
      if (!(error instanceof OAuthError) && !badRequest) throw error;
      const oauth =
        error instanceof OAuthError
          ? error
          : new OAuthError(400, 'invalid_request', 'The token request is not valid.');
      if (oauth.status === 401) void reply.header('www-authenticate', 'Basic realm="carethread"');
      void reply
        .code(oauth.status)
        .header('cache-control', 'no-store')
        .send({ error: oauth.error, error_description: oauth.description });
    });

    app.post(
      '/oauth2/token',
      {
        config: { csrf: false },
        schema: {
          operationId: 'issueIntegrationToken',
          tags,
          summary: 'A bearer token for the FHIR API (OAuth 2 client credentials)',
          consumes: ['application/x-www-form-urlencoded'],
          body: TokenRequestBody,
          response: {
            200: Type.Object({
              access_token: Type.String(),
              token_type: Type.Literal('Bearer'),
              expires_in: Type.Integer(),
              scope: Type.String(),
            }),
            400: OAuthErrorSchema,
            401: OAuthErrorSchema,
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (body.grant_type !== 'client_credentials') {
          throw new OAuthError(
            400,
            'unsupported_grant_type',
            'Only the client_credentials grant is supported.',
          );
        }
        const token = await issueToken(
          deps,
          credentialsOf(request, body),
          typeof body.scope === 'string' ? body.scope : undefined,
          requestFacts(request),
        );
        return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
      },
    );
  };
}
