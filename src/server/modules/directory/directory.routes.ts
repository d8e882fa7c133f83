import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, pageLimit, requestFacts } from '../../platform/http/routes';
import {
  addTeamMember,
  createProfessional,
  createTeam,
  removeTeamMember,
  updateTeam,
} from './directory.commands';
import { setEscalationPathway } from './directory.pathway';
import {
  CreateProfessionalBody,
  CreateTeamBody,
  ListProfessionalsQuery,
  ListTeamsQuery,
  MemberParams,
  MemberSchema,
  OrganisationList,
  OrganisationParams,
  PathwayResponse,
  ProfessionalPage,
  ProfessionalSchema,
  PutMemberBody,
  SetPathwayBody,
  TeamDetailSchema,
  TeamPage,
  TeamParams,
  TeamSchema,
  UpdateTeamBody,
} from './directory.contracts';
import { can } from './directory.policy';
import { getTeam, listOrganisations, listProfessionals, listTeams } from './directory.queries';
import { forbidden } from '../../platform/http/problem';

const tags = ['directory'];

export function directoryRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.get(
      '/organisations',
      {
        schema: {
          operationId: 'listOrganisations',
          tags,
          response: { 200: OrganisationList, ...errorResponses(401) },
        },
      },
      async () => ({ items: await listOrganisations(deps.db) }),
    );

    app.get(
      '/teams',
      {
        schema: {
          operationId: 'listTeams',
          tags,
          summary: 'Teams the signed-in user may see, by name',
          querystring: ListTeamsQuery,
          response: { 200: TeamPage, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const { organisationId, cursor, limit } = request.query;
        return listTeams(deps.db, request.actor, {
          organisationId,
          cursor,
          limit: pageLimit(limit),
        });
      },
    );

    app.post(
      '/organisations/:organisationId/teams',
      {
        schema: {
          operationId: 'createTeam',
          tags,
          summary: 'Register a team (coordinators of the organisation)',
          params: OrganisationParams,
          body: CreateTeamBody,
          response: { 201: TeamSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const team = await createTeam(
          deps,
          request.actor,
          request.params.organisationId,
          request.body,
          requestFacts(request),
        );
        return reply.code(201).send(team);
      },
    );

    app.get(
      '/teams/:teamId',
      {
        schema: {
          operationId: 'getTeam',
          tags,
          params: TeamParams,
          response: { 200: TeamDetailSchema, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => getTeam(deps.db, request.actor, request.params.teamId),
    );

    app.patch(
      '/teams/:teamId',
      {
        schema: {
          operationId: 'updateTeam',
          tags,
          params: TeamParams,
          body: UpdateTeamBody,
          response: { 200: TeamSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        updateTeam(deps, request.actor, request.params.teamId, request.body, requestFacts(request)),
    );

    app.put(
      '/teams/:teamId/members/:professionalId',
      {
        schema: {
          operationId: 'addTeamMember',
          tags,
          summary: 'Add a professional to a team, or change their role and contactability there',
          params: MemberParams,
          body: PutMemberBody,
          response: { 200: MemberSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        addTeamMember(deps, request.actor, request.params, request.body, requestFacts(request)),
    );

    app.delete(
      '/teams/:teamId/members/:professionalId',
      {
        schema: {
          operationId: 'removeTeamMember',
          tags,
          params: MemberParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await removeTeamMember(deps, request.actor, request.params, requestFacts(request));
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/teams/:teamId/escalation-pathway',
      {
        schema: {
          operationId: 'setEscalationPathway',
          tags,
          summary:
            'Replace the ordered second- and third-line steps offered when staff add participants',
          description:
            'A step to a team or professional made inactive since it was added may be kept (it is not offered to staff); a new step must be to an active one. Answers every step, with `active`.',
          params: TeamParams,
          body: SetPathwayBody,
          response: { 200: PathwayResponse, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        escalationPathway: await setEscalationPathway(
          deps,
          request.actor,
          request.params.teamId,
          request.body,
          requestFacts(request),
        ),
      }),
    );

    app.get(
      '/professionals',
      {
        schema: {
          operationId: 'listProfessionals',
          tags,
          querystring: ListProfessionalsQuery,
          response: { 200: ProfessionalPage, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        // Staff choose colleagues from any organisation (DESIGN M2); patients never list staff.
        if (!can(request.actor, 'professional.list', { organisationId: '' })) {
          throw forbidden('professional.forbidden', 'Only staff can list professionals.');
        }
        const { limit, ...filter } = request.query;
        return listProfessionals(deps.db, { ...filter, limit: pageLimit(limit) });
      },
    );

    app.post(
      '/organisations/:organisationId/professionals',
      {
        schema: {
          operationId: 'createProfessional',
          tags,
          params: OrganisationParams,
          body: CreateProfessionalBody,
          response: { 201: ProfessionalSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const professional = await createProfessional(
          deps,
          request.actor,
          request.params.organisationId,
          request.body,
          requestFacts(request),
        );
        return reply.code(201).send(professional);
      },
    );
  };
}
