import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses } from '../../platform/http/routes';
import { getOrganisationStatistics, statisticsCsv } from './statistics.queries';
import {
  OrganisationStatisticsParams,
  OrganisationStatisticsSchema,
  TeamWorkloadParams,
  TeamWorkloadSchema,
} from './workload.contracts';
import { ukDate } from '../../platform/time/uk-time';
import { getTeamWorkload } from './workload.queries';

const tags = ['workload'];

export function workloadRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/teams/:teamId/workload',
      {
        schema: {
          operationId: 'getTeamWorkload',
          tags,
          summary: 'Who is helping whom in a team, with response times (the team’s managers)',
          params: TeamWorkloadParams,
          response: { 200: TeamWorkloadSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        getTeamWorkload(deps.db, request.actor, request.params.teamId, deps.clock()),
    );

    app.get(
      '/organisations/:organisationId/statistics',
      {
        schema: {
          operationId: 'getOrganisationStatistics',
          tags,
          summary: 'Messages per team per week, patients and response times (coordinators)',
          params: OrganisationStatisticsParams,
          response: { 200: OrganisationStatisticsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        getOrganisationStatistics(
          deps.db,
          request.actor,
          request.params.organisationId,
          deps.clock(),
        ),
    );

    app.get(
      '/organisations/:organisationId/statistics.csv',
      {
        schema: {
          operationId: 'exportOrganisationStatistics',
          tags,
          summary: 'The organisation’s statistics as CSV, one measure per row',
          params: OrganisationStatisticsParams,
          response: {
            200: {
              description: 'One measure per row: measure, team, period, value',
              content: { 'text/csv': { schema: Type.String() } },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const now = deps.clock();
        const statistics = await getOrganisationStatistics(
          deps.db,
          request.actor,
          request.params.organisationId,
          now,
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="carethread-statistics-${ukDate(now)}.csv"`,
          )
          .header('cache-control', 'no-store')
          .send(statisticsCsv(statistics));
      },
    );
  };
}
