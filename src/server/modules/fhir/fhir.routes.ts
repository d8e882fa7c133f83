import formBody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import type { AppDeps } from '../../platform/deps';
import { toAppError } from '../../platform/http/error-handler';
import { resolveBearer } from '../integrations/integrations.tokens';
import {
  CapabilityStatementSchema,
  capabilityStatement,
  SmartConfigurationSchema,
  smartConfiguration,
} from './fhir.capability';
import { requireJson } from './fhir.format';
import { methodNotAllowed, methodTable } from './fhir.methods';
import {
  fhirError,
  OperationOutcomeSchema,
  outcomeResponses,
  toOperationOutcome,
} from './fhir.outcome';
import { appointmentResource } from './fhir.appointment';
import { auditEventResource } from './fhir.audit-event';
import { careTeamResource } from './fhir.care-team';
import { consentResource, relatedPersonResource } from './fhir.carers';
import { communicationResource } from './fhir.communication';
import { binaryResource, documentReferenceResource } from './fhir.document-reference';
import { patientResource } from './fhir.patient';
import { subscriptionResource } from './fhir.subscription';
import { taskResource } from './fhir.task';
import { type FhirResource, versionTag } from './fhir.resource';

/** Every resource type the facade serves, in the CapabilityStatement's order. */
export const FHIR_RESOURCES: FhirResource[] = [
  patientResource,
  communicationResource,
  taskResource,
  appointmentResource,
  relatedPersonResource,
  consentResource,
  careTeamResource,
  documentReferenceResource,
  binaryResource,
  auditEventResource,
  subscriptionResource,
].filter((resource) => resource.interactions.length > 0);

export const FHIR_PREFIX = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * The FHIR R4 facade for connected systems (reads, and subscriptions to new messages): bearer tokens from /oauth2/token,
 * one scope per resource type, errors as OperationOutcome, bodies as application/fhir+json.
 * Browser sessions are not accepted here.
 */
export function fhirRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const base = `${deps.config.publicUrl}${FHIR_PREFIX}`;
  const tokenUrl = `${deps.config.publicUrl}/oauth2/token`;
  return async (app) => {
    // The bodies it takes: a search's form (FHIR's _search) and, on Subscription's own routes,
    // FHIR JSON (that resource adds its parser); nothing else.
    app.removeAllContentTypeParsers();
    await app.register(formBody);
    app.addSchema(OperationOutcomeSchema);
    app.decorateRequest('integration', null);
    const methods = methodTable();
    app.addHook('onRoute', (route) => {
      methods.add(route.url, route.method);
      // Every route that answers JSON may refuse an Accept of none (requireJson): said once, here.
      const response = route.schema?.response;
      if (route.config?.fhirOwnContentType !== true && response && typeof response === 'object') {
        route.schema = { ...route.schema, response: { ...response, ...outcomeResponses(406) } };
      }
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      let appError = toAppError(error);
      if (appError.status >= 500) {
        request.log.error({ err: { type: error.name, code: error.code } }, 'FHIR request failed');
      }
      if (appError.status === 415) {
        appError = fhirError(
          415,
          'fhir.unsupported_media_type',
          'Send a search as a form (application/x-www-form-urlencoded), and a Subscription as application/fhir+json.',
        );
      }
      if (appError.status === 401) {
        void reply.header('www-authenticate', 'Bearer realm="carethread", error="invalid_token"');
      }
      void reply.code(appError.status).type(FHIR_JSON).send(toOperationOutcome(appError));
    });

    // An address served, but not with this method (DELETE Patient/<id>), is 405; one not served
    // at all (an unknown resource type, an interaction of no method) is 404.
    app.setNotFoundHandler((request, reply) => {
      const allowed = methods.allowed(request.url);
      const error =
        allowed.length > 0
          ? methodNotAllowed(reply, allowed)
          : fhirError(404, 'fhir.not_found', 'There is no such resource or interaction.');
      void reply.code(error.status).type(FHIR_JSON).send(toOperationOutcome(error));
    });

    // Before the body is parsed or checked: an unknown caller learns nothing of its shape.
    app.addHook('onRequest', async (request, reply) => {
      request.integration = null;
      // A Binary answers its document's own type, whatever was asked (fhir.document-reference.ts).
      // An address nothing serves is 404 whatever was asked: there is nothing to negotiate.
      const routed = request.routeOptions.url !== undefined;
      if (routed && request.routeOptions.config.fhirOwnContentType !== true) requireJson(request);
      const scope = request.routeOptions.config.fhirScope;
      if (scope === undefined) return;
      // A HEAD would run a read's handler and audit a read (or a download) nobody received.
      if (request.method === 'HEAD') throw methodNotAllowed(reply, methods.allowed(request.url));
      // The scheme's name is case-insensitive (RFC 7235 §2.1): some systems send "bearer".
      const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/i.exec(request.headers.authorization ?? '');
      const client = match?.[1] ? await resolveBearer(deps.db, match[1], deps.clock()) : null;
      if (!client) {
        throw fhirError(401, 'fhir.invalid_token', 'Send a valid bearer token from /oauth2/token.');
      }
      if (!client.scopes.includes(scope)) {
        throw fhirError(403, 'fhir.scope_missing', `This token does not have the ${scope} scope.`);
      }
      request.integration = client;
    });

    // A resource that has a version says it in ETag too, as FHIR's read asks (W/"<versionId>").
    app.addHook('preSerialization', async (_request, reply, payload) => {
      const tag = versionTag(payload);
      if (tag !== undefined && reply.statusCode === 200) void reply.header('etag', tag);
      return payload;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const type = reply.getHeader('content-type');
      const smart = request.routeOptions.url?.endsWith('smart-configuration') === true;
      if (!smart && typeof type === 'string' && type.startsWith('application/json')) {
        void reply.header('content-type', FHIR_JSON);
      }
      void reply.header('cache-control', 'no-store');
      return payload;
    });

    app.get(
      '/metadata',
      {
        schema: {
          operationId: 'fhirCapabilities',
          tags: ['fhir'],
          summary: 'The FHIR CapabilityStatement',
          response: { 200: CapabilityStatementSchema },
        },
      },
      async () => capabilityStatement(FHIR_RESOURCES, base, tokenUrl),
    );

    app.get(
      '/.well-known/smart-configuration',
      {
        schema: {
          operationId: 'fhirSmartConfiguration',
          tags: ['fhir'],
          summary: 'SMART backend services discovery',
          response: { 200: SmartConfigurationSchema },
        },
      },
      async () => smartConfiguration(tokenUrl),
    );

    for (const resource of FHIR_RESOURCES) {
      await app.register(async (scoped) => {
        // Every route of a resource needs that resource's scope: said once, on the resource.
        scoped.addHook('onRoute', (route) => {
          route.config = { ...route.config, fhirScope: resource.scope };
        });
        await scoped.register(resource.routes(deps, base));
      });
    }
  };
}
