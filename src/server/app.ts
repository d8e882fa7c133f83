import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import Type from 'typebox';
import { appointmentRoutes } from './modules/appointments/appointments.routes';
import { consentRoutes } from './modules/consent/consent.routes';
import { recordAccessRoutes } from './modules/consent/record-access.routes';
import { conversationRoutes } from './modules/conversations/conversations.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { documentRoutes } from './modules/documents/documents.routes';
import { publicTeamRoutes } from './modules/directory/public-team.routes';
import { identityRoutes } from './modules/identity/identity.routes';
import { findSession } from './modules/identity/identity.queries';
import { inboxRoutes } from './modules/inbox/inbox.routes';
import { toOperationOutcome } from './modules/fhir/fhir.outcome';
import { FHIR_PREFIX, fhirRoutes } from './modules/fhir/fhir.routes';
import { integrationRoutes, tokenRoutes } from './modules/integrations/integrations.routes';
import { liveRoutes } from './modules/live/live.routes';
import { mailboxRoutes } from './modules/mailbox/mailbox.routes';
import { notificationRoutes } from './modules/notifications/notifications.routes';
import { onboardingRoutes } from './modules/onboarding/onboarding.routes';
import { oidcRoutes } from './modules/oidc/oidc.routes';
import { setUpOidc } from './modules/oidc/oidc.setup';
import { signInProviderRoutes } from './modules/oidc/sign-in-providers.routes';
import { patientRoutes } from './modules/patients/patients.routes';
import { workloadRoutes } from './modules/workload/workload.routes';
import type { AppDeps } from './platform/deps';
import { registerAuthentication } from './platform/http/authentication';
import {
  acceptJsonBodiesOnly,
  answerFrameworkErrors,
  registerErrorHandling,
} from './platform/http/error-handler';
import { refuseNulCharacters } from './platform/http/nul-characters';
import { ProblemSchema } from './platform/http/problem';
import { registerWebApp } from './platform/http/web-app';
import { testClockRoutes } from './platform/testing/test-clock';
import { loggerOptions } from './platform/logging/logger';
import { requireRepresentableDateTimes } from './platform/http/formats';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  // blob: for previews the page draws from a document's bytes (object URLs), never remote.
  imgSrc: ["'self'", 'data:', 'blob:'],
  styleSrc: ["'self'"],
  scriptSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/** Builds the HTTP application. No side effects until the caller listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config, deps.logStream),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Behind load balancers the client address (for audit and rate limits) is forwarded.
    trustProxy: (_address: string, hop: number) => hop < deps.config.trustProxyHops,
    bodyLimit: 256 * 1024,
    frameworkErrors: answerFrameworkErrors({
      [FHIR_PREFIX]: (reply, error) =>
        void reply.code(error.status).type(FHIR_JSON).send(toOperationOutcome(error)),
    }),
    ajv: {
      // Reject what the contract does not name, and never coerce a wrong type into a right one.
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true },
      onCreate: requireRepresentableDateTimes,
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addSchema(ProblemSchema);
  await app.register(fastifyCookie, { secret: deps.config.sessionSecret });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    hsts: deps.config.nodeEnv === 'production',
    frameguard: { action: 'deny' },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Carethread API',
        version: '1',
        description: 'Secure messaging between patients, carers and care teams.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'carethread_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'From /oauth2/token (FHIR API)' },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: true,
    // Nothing the API browser loads may come from another host.
    transformStaticCSP: (header) => header.replace(/ https:| validator\.swagger\.io/g, ''),
  });

  const servesWebApp = await registerWebApp(app, deps.config.webRoot);
  registerErrorHandling(app, servesWebApp);
  acceptJsonBodiesOnly(app);
  refuseNulCharacters(app);
  // Staff single sign-on sessions act for one organisation (see findSession).
  registerAuthentication(app, (token, options) =>
    findSession(deps.db, token, deps.clock(), options),
  );
  const oidc = await setUpOidc(app, deps);

  const hidden = { schema: { hide: true } };
  app.get('/openapi.json', hidden, async () => app.swagger());
  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ready') }) } } },
    async () => {
      await deps.db.execute(sql`select 1`);
      return { status: 'ready' as const };
    },
  );

  // Browser tests only: the hidden endpoint that moves the server's clock.
  if (deps.testClock) await app.register(testClockRoutes(deps.clock, deps.testClock));

  await app.register(
    async (api) => {
      await api.register(identityRoutes(deps));
      await api.register(oidcRoutes(deps, oidc));
      await api.register(directoryRoutes(deps));
      await api.register(publicTeamRoutes(deps));
      await api.register(onboardingRoutes(deps));
      await api.register(patientRoutes(deps));
      await api.register(conversationRoutes(deps));
      await api.register(consentRoutes(deps));
      await api.register(recordAccessRoutes(deps));
      await api.register(inboxRoutes(deps));
      await api.register(notificationRoutes(deps));
      await api.register(workloadRoutes(deps));
      await api.register(documentRoutes(deps));
      await api.register(appointmentRoutes(deps));
      await api.register(integrationRoutes(deps));
      await api.register(signInProviderRoutes(deps, oidc));
      if (deps.events) await api.register(liveRoutes(deps, deps.events));
      // The development mailbox exists only while the demo's email capture is on.
      if (deps.config.mailCapture) await api.register(mailboxRoutes(deps));
    },
    { prefix: '/api/v1' },
  );
  // Connected systems: OAuth 2 tokens, then the FHIR facade they open.
  await app.register(tokenRoutes(deps));
  await app.register(fhirRoutes(deps), { prefix: FHIR_PREFIX });
  return app;
}
