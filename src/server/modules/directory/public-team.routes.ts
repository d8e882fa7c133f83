import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps';
import { errorResponses } from '../../platform/http/routes';
import { getPublicTeam } from './public-team';
import { PublicTeamParams, PublicTeamSchema } from './public-team.contracts';

/**
 * The team web page's facts (/t/<slug>): public, no session needed. Registered apart from
 * the directory's routes, which all require someone signed in.
 */
export function publicTeamRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/public/teams/:slug',
      {
        schema: {
          operationId: 'getPublicTeam',
          tags: ['directory'],
          summary: 'What a team does, its hours, reply time and phone number: for its public page',
          params: PublicTeamParams,
          response: { 200: PublicTeamSchema, ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        // Open-now changes by the minute; let caches keep it no longer than that.
        void reply.header('cache-control', 'public, max-age=60');
        return getPublicTeam(deps.db, request.params.slug.toLowerCase(), deps.clock());
      },
    );
  };
}
