import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps';
import { unauthenticated } from '../../platform/http/authentication';
import { errorResponses, requestFacts } from '../../platform/http/routes';
import { IdempotencyHeaders } from '../conversations/conversations.contracts';
import { createAppointment, updateAppointment } from './appointments.commands';
import {
  AppointmentParams,
  AppointmentSchema,
  AppointmentSettingsParams,
  AppointmentSettingsSchema,
  ChangeRequestBody,
  ChangeRequestResponse,
  CreateAppointmentBody,
  PatientAppointmentsParams,
  PatientAppointmentsSchema,
  UpdateAppointmentBody,
  UpdateAppointmentSettingsBody,
} from './appointments.contracts';
import { getAppointment, listPatientAppointments } from './appointments.queries';
import { requestAppointmentChange } from './appointments.requests';
import { getAppointmentSettings, updateAppointmentSettings } from './appointments.settings';

const tags = ['appointments'];

export function appointmentRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', async (request) => {
      if (request.actor.kind === 'anonymous') throw unauthenticated();
    });

    app.post(
      '/appointments',
      {
        schema: {
          operationId: 'createAppointment',
          tags,
          summary: 'Book an appointment for a patient with a team (Idempotency-Key supported)',
          headers: IdempotencyHeaders,
          body: CreateAppointmentBody,
          response: { 201: AppointmentSchema, ...errorResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const outcome = await createAppointment(deps, request.actor, request.body, {
          ...requestFacts(request),
          key: request.headers['idempotency-key'],
        });
        return reply.code(201).send(outcome.body); // a replay answers as the first did
      },
    );

    app.patch(
      '/appointments/:appointmentId',
      {
        schema: {
          operationId: 'updateAppointment',
          tags,
          summary: 'Change, cancel or close an appointment, naming the version changed',
          params: AppointmentParams,
          body: UpdateAppointmentBody,
          response: { 200: AppointmentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        updateAppointment(
          deps,
          request.actor,
          request.params.appointmentId,
          request.body,
          requestFacts(request),
        ),
    );

    app.get(
      '/appointments/:appointmentId',
      {
        schema: {
          operationId: 'getAppointment',
          tags,
          description:
            '404 `carer.access_ended` when the reader is a carer whose access to this ' +
            "person's record has ended and who would otherwise see it (C1); 404 " +
            '`appointment.not_found` for anyone else who may not see it, and when it does not ' +
            'exist.',
          params: AppointmentParams,
          response: { 200: AppointmentSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        getAppointment(deps, request.actor, request.params.appointmentId, requestFacts(request)),
    );

    app.get(
      '/patients/:patientId/appointments',
      {
        schema: {
          operationId: 'listPatientAppointments',
          tags,
          summary: 'A patient’s appointments: upcoming soonest first, past newest first',
          params: PatientAppointmentsParams,
          response: { 200: PatientAppointmentsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        listPatientAppointments(
          deps,
          request.actor,
          request.params.patientId,
          requestFacts(request),
        ),
    );

    app.post(
      '/appointments/:appointmentId/requests',
      {
        schema: {
          operationId: 'requestAppointmentChange',
          tags,
          summary: 'Ask to cancel or change: starts or continues the appointment’s conversation',
          description:
            '404 `carer.access_ended` when the asker is a carer whose access to this ' +
            "person's record has ended (the request is not sent); 404 `appointment.not_found` " +
            'for anyone else who may not see the appointment, and when it does not exist.',
          headers: IdempotencyHeaders,
          params: AppointmentParams,
          body: ChangeRequestBody,
          response: { 201: ChangeRequestResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const outcome = await requestAppointmentChange(
          deps,
          request.actor,
          request.params.appointmentId,
          request.body,
          { ...requestFacts(request), key: request.headers['idempotency-key'] },
        );
        return reply.code(201).send(outcome.body);
      },
    );

    app.get(
      '/organisations/:organisationId/appointment-settings',
      {
        schema: {
          operationId: 'getAppointmentSettings',
          tags,
          summary:
            'The team that answers appointment conversations, and the cut-off (coordinators only)',
          params: AppointmentSettingsParams,
          response: { 200: AppointmentSettingsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => getAppointmentSettings(deps, request.actor, request.params.organisationId),
    );

    app.put(
      '/organisations/:organisationId/appointment-settings',
      {
        schema: {
          operationId: 'updateAppointmentSettings',
          tags,
          summary:
            'Choose the appointments team (or none) and the cut-off, naming the version changed',
          params: AppointmentSettingsParams,
          body: UpdateAppointmentSettingsBody,
          response: { 200: AppointmentSettingsSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        updateAppointmentSettings(
          deps,
          request.actor,
          request.params.organisationId,
          request.body,
          requestFacts(request),
        ),
    );
  };
}
