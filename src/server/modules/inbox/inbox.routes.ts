import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, pageLimit, requestFacts } from '../../platform/http/routes';
import { archiveConversation, assignConversation, reopenConversation } from './inbox.commands';
import {
  ArchiveQuery,
  AssignBody,
  AssignmentSchema,
  TeamInboxParams,
  TeamInboxQuery,
  TeamInboxSchema,
  WorkParams,
} from './inbox.contracts';
import { getTeamInbox } from './inbox.queries';

const tags = ['inbox'];

export function inboxRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/teams/:teamId/inbox',
      {
        schema: {
          operationId: 'getTeamInbox',
          tags,
          summary: 'A team’s Unassigned, Mine, Assigned to others or Archived view, with counts',
          params: TeamInboxParams,
          querystring: TeamInboxQuery,
          response: { 200: TeamInboxSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { view = 'unassigned', sort = 'waiting', patientId, cursor, limit } = request.query;
        return getTeamInbox(deps.db, request.actor, request.params.teamId, {
          view,
          sort,
          patientId,
          cursor,
          limit: pageLimit(limit),
        });
      },
    );

    app.put(
      '/conversations/:conversationId/teams/:teamId/assignment',
      {
        schema: {
          operationId: 'assignConversation',
          tags,
          summary: '"Assign to me" ({ assignee: "me" }) or "Assign to none" ({ assignee: null })',
          params: WorkParams,
          body: AssignBody,
          response: { 200: AssignmentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        assignConversation(
          deps,
          request.actor,
          request.params,
          request.body.assignee,
          requestFacts(request),
        ),
    );

    app.post(
      '/conversations/:conversationId/teams/:teamId/archive',
      {
        schema: {
          operationId: 'archiveConversation',
          tags,
          summary: 'Mark complete for this team (refused if messages newer than seenSeq arrived)',
          params: WorkParams,
          querystring: ArchiveQuery,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await archiveConversation(
          deps,
          request.actor,
          request.params,
          requestFacts(request),
          request.query.seenSeq === undefined ? undefined : Number(request.query.seenSeq),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/conversations/:conversationId/teams/:teamId/reopen',
      {
        schema: {
          operationId: 'reopenConversation',
          tags,
          summary: 'Bring an archived conversation back into this team’s Unassigned view',
          params: WorkParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await reopenConversation(deps, request.actor, request.params, requestFacts(request));
        return reply.code(204).send(null);
      },
    );
  };
}
