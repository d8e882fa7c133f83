import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { CorrectionBody } from '../../platform/http/corrections';
import { unauthenticated } from '../../platform/http/authentication';
import { forbidden } from '../../platform/http/problem';
import { errorResponses, pageLimit, requestFacts } from '../../platform/http/routes';
import { requireVerifiedActor } from '../identity/verification';
import { createConversation, markConversationRead, postMessage } from './conversations.commands';
import { addParticipant, joinConversation, leaveConversation } from './conversations.participation';
import {
  AddParticipantBody,
  ConversationDetailSchema,
  ConversationParams,
  CreateConversationBody,
  IdempotencyHeaders,
  LeaveBody,
  MarkReadBody,
  MessageParams,
  MessageSchema,
  MyConversationPage,
  MyConversationsQuery,
  ParticipantSuggestions,
  PatientConversationsParams,
  PostMessageBody,
  Recipients,
  RecordConversations,
} from './conversations.contracts';
import { markMessageSentInError } from './conversations.corrections';
import {
  getConversation,
  listMyConversations,
  listParticipantSuggestions,
  listRecordConversations,
} from './conversations.queries';
import { listMyRecipients } from './conversations.recipients';

const tags = ['conversations'];

export function conversationRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.post(
      '/conversations',
      {
        schema: {
          operationId: 'createConversation',
          tags,
          summary: 'Start a conversation with its first message (Idempotency-Key supported)',
          headers: IdempotencyHeaders,
          body: CreateConversationBody,
          response: { 201: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const outcome = await createConversation(deps, request.actor, request.body, {
          ...requestFacts(request),
          key,
        });
        return reply.code(201).send(outcome.body); // a replay answers as the first did
      },
    );

    app.get(
      '/conversations/:conversationId',
      {
        schema: {
          operationId: 'getConversation',
          tags,
          description:
            'The conversation as the reader may see it, with what they may do. ' +
            '404 `carer.access_ended` when the reader is a carer whose access to this ' +
            "person's record has ended and who would otherwise see it (C1); 404 " +
            '`conversation.not_found` for anyone else who may not see it, and when it does not ' +
            'exist.',
          params: ConversationParams,
          response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        getConversation(deps, request.actor, request.params.conversationId, requestFacts(request)),
    );

    app.post(
      '/conversations/:conversationId/messages',
      {
        schema: {
          operationId: 'postMessage',
          tags,
          summary: 'Send a message (Idempotency-Key supported)',
          headers: IdempotencyHeaders,
          params: ConversationParams,
          body: PostMessageBody,
          response: { 201: MessageSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const outcome = await postMessage(
          deps,
          request.actor,
          request.params.conversationId,
          request.body.body,
          { ...requestFacts(request), key },
          request.body.documentIds,
        );
        return reply.code(201).send(outcome.body); // a replay answers as the first did
      },
    );

    app.post(
      '/conversations/:conversationId/messages/:messageId/entered-in-error',
      {
        schema: {
          operationId: 'markMessageSentInError',
          tags,
          summary: 'Say a message was sent in error (its author only)',
          description:
            'From then on its text is not shown to anyone, and the files it carried are taken ' +
            'out of use; the conversation shows that a message was removed, when and by whom. ' +
            'The reason goes to the audit trail only. Again → 200 with no change.',
          params: MessageParams,
          body: CorrectionBody,
          response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        markMessageSentInError(
          deps,
          request.actor,
          request.params,
          request.body,
          requestFacts(request),
        ),
    );

    app.post(
      '/conversations/:conversationId/participants',
      {
        schema: {
          operationId: 'addParticipant',
          tags,
          summary: 'Bring in any active team or professional (staff)',
          params: ConversationParams,
          body: AddParticipantBody,
          response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        addParticipant(
          deps,
          request.actor,
          request.params.conversationId,
          request.body,
          requestFacts(request),
        ),
    );

    app.get(
      '/conversations/:conversationId/participant-suggestions',
      {
        schema: {
          operationId: 'listParticipantSuggestions',
          tags,
          summary: 'The escalation pathways of the viewer’s teams, offered first',
          params: ConversationParams,
          response: { 200: ParticipantSuggestions, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listParticipantSuggestions(deps, request.actor, request.params.conversationId),
    );

    app.post(
      '/conversations/:conversationId/join',
      {
        schema: {
          operationId: 'joinConversation',
          tags,
          summary: 'Join a conversation of a record you have access to',
          params: ConversationParams,
          response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        joinConversation(deps, request.actor, request.params.conversationId, requestFacts(request)),
    );

    app.post(
      '/conversations/:conversationId/leave',
      {
        schema: {
          operationId: 'leaveConversation',
          tags,
          summary: 'Leave as yourself, or take one of your teams out',
          params: ConversationParams,
          body: LeaveBody,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await leaveConversation(
          deps,
          request.actor,
          request.params.conversationId,
          request.body,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/conversations/:conversationId/read',
      {
        schema: {
          operationId: 'markConversationRead',
          tags,
          params: ConversationParams,
          body: MarkReadBody,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await markConversationRead(
          deps,
          request.actor,
          request.params.conversationId,
          request.body.seq,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me/conversations',
      {
        schema: {
          operationId: 'listMyConversations',
          tags,
          querystring: MyConversationsQuery,
          response: { 200: MyConversationPage, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) =>
        listMyConversations(deps, request.actor, {
          cursor: request.query.cursor,
          limit: pageLimit(request.query.limit, 25, 100),
        }),
    );

    app.get(
      '/me/recipients',
      {
        schema: {
          operationId: 'listMyRecipients',
          tags,
          summary: 'Teams and staff the signed-in patient may write to',
          response: { 200: Recipients, ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const actor = requireVerifiedActor(request.actor);
        if (actor.kind !== 'patient')
          throw forbidden(
            'conversation.patients_only',
            'Only patients choose recipients this way.',
          );
        return listMyRecipients(deps.db, actor.patientId, deps.clock());
      },
    );

    app.get(
      '/patients/:patientId/conversations',
      {
        schema: {
          operationId: 'listRecordConversations',
          tags,
          summary: 'Every conversation in a patient’s record (staff with record access)',
          params: PatientConversationsParams,
          response: { 200: RecordConversations, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listRecordConversations(
          deps,
          request.actor,
          request.params.patientId,
          requestFacts(request),
        ),
    );
  };
}
