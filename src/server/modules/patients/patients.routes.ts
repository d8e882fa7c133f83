import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { forbidden } from '../../platform/http/problem';
import { errorResponses, PageQuery, pageLimit, requestFacts } from '../../platform/http/routes';
import { requireVerifiedActor } from '../identity/verification';
import { accessLogCsv, getAccessLog } from './patients.access-log';
import {
  createPatient,
  findPatientByNhsNumber,
  getPatient,
  setCareRelationship,
} from './patients.commands';
import {
  AccessLogSchema,
  CareRelationshipParams,
  CreatePatientBody,
  FindPatientBody,
  FoundPatientSchema,
  PatientParams,
  PatientSchema,
} from './patients.contracts';

const tags = ['patients'];

export function patientRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.post(
      '/patients',
      {
        schema: {
          operationId: 'createPatient',
          tags,
          summary: 'Register a patient with an organisation (its coordinators)',
          body: CreatePatientBody,
          response: { 201: PatientSchema, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const patient = await createPatient(
          deps,
          request.actor,
          request.body,
          requestFacts(request),
        );
        return reply.code(201).send(patient);
      },
    );

    app.post(
      '/patient-lookups',
      {
        schema: {
          operationId: 'findPatientByNhsNumber',
          tags,
          summary: 'Find a record your teams may read by its NHS number (staff)',
          description:
            'A lookup, not a change: POST so that the NHS number stays out of URLs. Answers the ' +
            'record’s id; no record and one you may not read are the same 404. Audited in the ' +
            'patient’s chain (patient.looked_up).',
          body: FindPatientBody,
          response: { 200: FoundPatientSchema, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) =>
        findPatientByNhsNumber(deps, request.actor, request.body, requestFacts(request)),
    );

    app.get(
      '/patients/:patientId',
      {
        schema: {
          operationId: 'getPatient',
          tags,
          params: PatientParams,
          response: { 200: PatientSchema, ...errorResponses(400, 401, 404) },
        },
      },
      async (request) =>
        getPatient(deps, request.actor, request.params.patientId, requestFacts(request)),
    );

    app.get(
      '/me/access-log',
      {
        schema: {
          operationId: 'getAccessLog',
          tags,
          summary: 'Who has seen my record, in plain words (the signed-in patient)',
          querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
          response: { 200: AccessLogSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const actor = requireVerifiedActor(request.actor);
        if (actor.kind !== 'patient')
          throw forbidden('access_log.patients_only', 'This page is for patients.');
        return getAccessLog(deps.db, actor, {
          cursor: request.query.cursor,
          limit: pageLimit(request.query.limit),
        });
      },
    );

    app.get(
      '/me/access-log.csv',
      {
        schema: {
          operationId: 'downloadAccessLog',
          tags,
          summary: 'Who has seen my record, as a CSV file (the signed-in patient)',
          response: {
            200: {
              description: 'The access log as CSV',
              content: { 'text/csv': { schema: Type.String() } },
            },
            ...errorResponses(401, 403),
          },
        },
      },
      async (request, reply) => {
        const actor = requireVerifiedActor(request.actor);
        if (actor.kind !== 'patient')
          throw forbidden('access_log.patients_only', 'This page is for patients.');
        const csv = await accessLogCsv(deps.db, actor);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="who-has-seen-my-record.csv"')
          .header('cache-control', 'no-store')
          .send(csv);
      },
    );

    for (const [method, operationId, present] of [
      ['PUT', 'addCareRelationship', true],
      ['DELETE', 'removeCareRelationship', false],
    ] as const) {
      app.route({
        method,
        url: '/teams/:teamId/care-relationships/:patientId',
        schema: {
          operationId,
          tags,
          summary: present
            ? 'Give a team standing access to a patient’s record'
            : 'End a team’s care relationship',
          params: CareRelationshipParams,
          response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
        handler: async (request, reply) => {
          await setCareRelationship(
            deps,
            request.actor,
            request.params,
            present,
            requestFacts(request),
          );
          return reply.code(204).send(null);
        },
      });
    }
  };
}
