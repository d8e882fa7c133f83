import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import {
  DeadLetterList,
  OrganisationParams,
  PreferencesSchema,
  UpdatePreferencesBody,
} from './notifications.contracts';
import {
  getNotificationPreferences,
  listDeadLetters,
  updateNotificationPreferences,
} from './notifications.preferences';

const tags = ['notifications'];

export function notificationRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/me/notification-preferences',
      {
        schema: {
          operationId: 'getNotificationPreferences',
          tags,
          summary: 'How the signed-in professional hears about each team’s messages',
          response: { 200: PreferencesSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => getNotificationPreferences(deps.db, request.actor),
    );

    app.put(
      '/me/notification-preferences',
      {
        schema: {
          operationId: 'updateNotificationPreferences',
          tags,
          summary: 'Choose immediately, a daily digest, or off, per team',
          body: UpdatePreferencesBody,
          response: { 200: PreferencesSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) =>
        updateNotificationPreferences(deps, request.actor, request.body, requestFacts(request)),
    );

    app.get(
      '/organisations/:organisationId/dead-letters',
      {
        schema: {
          operationId: 'listDeadLetters',
          tags,
          summary: 'Notifications that failed every attempt (coordinators)',
          params: OrganisationParams,
          response: { 200: DeadLetterList, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => listDeadLetters(deps.db, request.actor, request.params.organisationId),
    );
  };
}
