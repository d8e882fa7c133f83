import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { ConversationDetailSchema, Recipients } from '../conversations/conversations.contracts';
import { acceptCarerInvitation, cancelCarerInvitation, inviteCarer } from './consent.commands';
import {
  AcceptInvitationBody,
  CaredForConversationsSchema,
  CaredForSchema,
  CarerConsentSchema,
  ConsentParams,
  ConversationParams,
  CopyInCarerBody,
  InvitationParams,
  InviteCarerBody,
  InvitedSchema,
  MyCarersSchema,
  PatientCarersSchema,
  PatientParams,
  PeopleICareForSchema,
  PrivacyBody,
  RevokeCarerConsentBody,
} from './consent.contracts';
import { revokeCarerConsent } from './consent.revocation';
import { copyInCarer, setConversationPrivacy } from './consent.conversations';
import {
  listCaredForConversations,
  listCaredForRecipients,
  listMyCarers,
  listPatientCarers,
  listPeopleICareFor,
} from './consent.queries';

const tags = ['carers'];

/** Carers (C1): invitations, consents, the carer's view, privacy and copying in. */
export function consentRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.post(
      '/carer-invitations',
      {
        schema: {
          operationId: 'inviteCarer',
          tags,
          summary:
            'Invite a carer by email (a P9 patient), or record consent from a witnessed paper form ' +
            '(staff). 409 carer.invitation_pending while an invitation to that email is waiting',
          body: InviteCarerBody,
          response: { 201: InvitedSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await inviteCarer(deps, request.actor, request.body, requestFacts(request))),
    );

    app.delete(
      '/carer-invitations/:invitationId',
      {
        schema: {
          operationId: 'cancelCarerInvitation',
          tags,
          summary:
            'Cancel an invitation nobody has accepted, so its code no longer works (the patient; ' +
            'or staff with record access, one recorded from a paper form). 409 ' +
            'carer.invitation_already_accepted once accepted, carer.invitation_not_pending once cancelled',
          params: InvitationParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await cancelCarerInvitation(
          deps,
          request.actor,
          request.params.invitationId,
          requestFacts(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/carer-invitations/accept',
      {
        schema: {
          operationId: 'acceptCarerInvitation',
          tags,
          summary: 'Accept an invitation with its code (the carer, signed in at P9)',
          body: AcceptInvitationBody,
          response: { 200: CaredForSchema, ...errorResponses(400, 401, 403, 404, 409, 410, 422) },
        },
      },
      async (request) =>
        acceptCarerInvitation(deps, request.actor, request.body.code, requestFacts(request)),
    );

    app.post(
      '/carer-consents/:consentId/revoke',
      {
        schema: {
          operationId: 'revokeCarerConsent',
          tags,
          summary: 'End a carer’s consent at once (the patient, or the carer stepping down)',
          params: ConsentParams,
          response: { 200: CarerConsentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        revokeCarerConsent(deps, request.actor, request.params.consentId, requestFacts(request)),
    );

    app.post(
      '/carer-consents/:consentId/recorded-withdrawal',
      {
        schema: {
          operationId: 'recordCarerConsentWithdrawal',
          tags,
          summary:
            'Staff with record access record that the patient asked to end a carer’s consent ' +
            '(for a patient who gave it on paper), naming who witnessed the request',
          params: ConsentParams,
          body: RevokeCarerConsentBody,
          response: { 200: CarerConsentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        revokeCarerConsent(
          deps,
          request.actor,
          request.params.consentId,
          requestFacts(request),
          request.body,
        ),
    );

    app.get(
      '/me/carers',
      {
        schema: {
          operationId: 'listMyCarers',
          tags,
          summary: 'The signed-in patient’s carers and invitations still waiting',
          response: { 200: MyCarersSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => listMyCarers(deps, request.actor),
    );

    app.get(
      '/patients/:patientId/carers',
      {
        schema: {
          operationId: 'listPatientCarers',
          tags,
          summary:
            'A patient’s carers whose consent is in force (name, level, start, last day) and ' +
            'invitations from paper forms still waiting (staff with record access)',
          params: PatientParams,
          response: { 200: PatientCarersSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listPatientCarers(deps, request.actor, request.params.patientId, requestFacts(request)),
    );

    app.get(
      '/me/cared-for',
      {
        schema: {
          operationId: 'listPeopleICareFor',
          tags,
          response: { 200: PeopleICareForSchema, ...errorResponses(401, 403) },
        },
      },
      async (request) => listPeopleICareFor(deps, request.actor),
    );

    app.get(
      '/me/cared-for/:patientId/conversations',
      {
        schema: {
          operationId: 'listCaredForConversations',
          tags,
          summary: 'A cared-for patient’s conversations that are not private from carers',
          params: PatientParams,
          response: { 200: CaredForConversationsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listCaredForConversations(
          deps,
          request.actor,
          request.params.patientId,
          requestFacts(request),
        ),
    );

    app.get(
      '/me/cared-for/:patientId/recipients',
      {
        schema: {
          operationId: 'listCaredForRecipients',
          tags,
          summary: 'Teams and staff a carer with message consent may write to for the patient',
          params: PatientParams,
          response: { 200: Recipients, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => listCaredForRecipients(deps, request.actor, request.params.patientId),
    );

    app.put(
      '/conversations/:conversationId/privacy',
      {
        schema: {
          operationId: 'setConversationPrivacy',
          tags,
          summary: 'Mark a conversation private from carers, or share it with them again',
          params: ConversationParams,
          body: PrivacyBody,
          response: { 200: ConversationDetailSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        setConversationPrivacy(
          deps,
          request.actor,
          request.params.conversationId,
          request.body.privateFromCarers,
          requestFacts(request),
        ),
    );

    app.post(
      '/conversations/:conversationId/carers',
      {
        schema: {
          operationId: 'copyInCarer',
          tags,
          summary: 'Copy one of the patient’s carers into a conversation',
          params: ConversationParams,
          body: CopyInCarerBody,
          response: {
            200: ConversationDetailSchema,
            ...errorResponses(400, 401, 403, 404, 409, 422),
          },
        },
      },
      async (request) =>
        copyInCarer(
          deps,
          request.actor,
          request.params.conversationId,
          request.body.consentId,
          requestFacts(request),
        ),
    );
  };
}
