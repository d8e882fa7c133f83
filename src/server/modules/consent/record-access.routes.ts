import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { requireSession, unauthenticated } from '../../platform/http/authentication';
import { errorResponses, pageLimit, PageQuery, requestFacts } from '../../platform/http/routes';
import {
  breakGlass,
  listBreakGlassReviews,
  REVIEW_PAGE_MAX,
  REVIEW_PAGE_SIZE,
  reviewBreakGlass,
} from './consent.break-glass';
import {
  BreakGlassBody,
  BreakGlassParams,
  BreakGlassReviewSchema,
  BreakGlassSchema,
  GrantParams,
  GrantRecordAccessBody,
  GrantSchema,
  GrantsSchema,
} from './consent.contracts';
import { grantRecordAccess, listMyRecordAccess, revokeRecordAccess } from './consent.grants';

const tags = ['record access'];

const BreakGlassReviewsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
const BreakGlassReviewPage = Type.Object({
  ...BreakGlassReviewSchema.properties,
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Record access for teams (C2): the patient's grants, and staff break-glass with its review. */
export function recordAccessRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.post(
      '/record-access-grants',
      {
        schema: {
          operationId: 'grantRecordAccess',
          tags,
          summary: 'Share my record with a team for a number of days (7 unless chosen)',
          body: GrantRecordAccessBody,
          response: { 201: GrantSchema, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await grantRecordAccess(deps, request.actor, request.body, requestFacts(request))),
    );

    app.post(
      '/record-access-grants/:grantId/revoke',
      {
        schema: {
          operationId: 'revokeRecordAccess',
          tags,
          summary: 'Stop sharing my record with a team, at once',
          params: GrantParams,
          response: { 200: GrantSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        revokeRecordAccess(deps, request.actor, request.params.grantId, requestFacts(request)),
    );

    app.get(
      '/me/record-access-grants',
      {
        schema: {
          operationId: 'listMyRecordAccess',
          tags,
          response: { 200: GrantsSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => listMyRecordAccess(deps, request.actor),
    );

    app.post(
      '/break-glass',
      {
        schema: {
          operationId: 'breakGlass',
          tags,
          summary:
            'Emergency access to a record without other access: until the session ends, at most 4 hours',
          body: BreakGlassBody,
          response: { 201: BreakGlassSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await breakGlass(
              deps,
              request.actor,
              requireSession(request),
              request.body,
              requestFacts(request),
            ),
          ),
    );

    app.get(
      '/break-glass',
      {
        schema: {
          operationId: 'listBreakGlassReviews',
          tags,
          summary:
            'Emergency access used in the organisations I coordinate, for review: those not yet ' +
            'reviewed first, then the reviewed, each newest first; keyset pages of 50 unless ' +
            '`limit` (at most 200) says otherwise, `nextCursor` to the next',
          querystring: BreakGlassReviewsQuery,
          response: { 200: BreakGlassReviewPage, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) =>
        listBreakGlassReviews(deps, request.actor, {
          cursor: request.query.cursor,
          limit: pageLimit(request.query.limit, REVIEW_PAGE_SIZE, REVIEW_PAGE_MAX),
        }),
    );

    app.post(
      '/break-glass/:breakGlassId/review',
      {
        schema: {
          operationId: 'reviewBreakGlass',
          tags,
          params: BreakGlassParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await reviewBreakGlass(
          deps,
          request.actor,
          request.params.breakGlassId,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );
  };
}
