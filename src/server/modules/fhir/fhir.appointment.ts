import { and, asc, eq, type SQL } from 'drizzle-orm';
import Type from 'typebox';
import { type Tx, withTransaction } from '../../platform/db/database';
import { IdParam, requestFacts } from '../../platform/http/routes';
import { APPOINTMENT_STATUSES, appointments } from '../appointments/appointments.schema';
import { organisations, professionals, teams } from '../directory/directory.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import {
  afterKeyset,
  fhirNotFound,
  idOfReference,
  pageOf,
  PatientSearchQuery,
  searchRecord,
} from './fhir.search';

const ParticipantSchema = Type.Object({
  actor: Type.Object({
    reference: Type.Optional(Type.String()),
    type: Type.String(),
    display: Type.Optional(Type.String()),
  }),
  status: Type.Literal('accepted'),
});

export const AppointmentResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Appointment'),
    id: Type.String(),
    meta: Type.Object({ versionId: Type.String(), lastUpdated: Type.String() }),
    // Our statuses are a subset of FHIR's, with the same codes.
    status: Type.Enum(APPOINTMENT_STATUSES),
    start: Type.String(),
    end: Type.String(),
    minutesDuration: Type.Integer(),
    created: Type.String(),
    patientInstruction: Type.Optional(Type.String()),
    participant: Type.Array(ParticipantSchema),
  },
  { $id: 'FhirAppointment', title: 'Appointment' },
);
type AppointmentResource = Type.Static<typeof AppointmentResourceSchema>;
type Participant = Type.Static<typeof ParticipantSchema>;

/** An appointment row with the names a FHIR reader is shown instead of our ids. */
function selectAppointments(tx: Tx, where: SQL | undefined, limit: number) {
  return tx
    .select({
      row: appointments,
      teamName: teams.name,
      organisationName: organisations.name,
      clinicianName: professionals.name,
    })
    .from(appointments)
    .innerJoin(teams, eq(teams.id, appointments.teamId))
    .innerJoin(organisations, eq(organisations.id, appointments.organisationId))
    .leftJoin(professionals, eq(professionals.id, appointments.clinicianProfessionalId))
    .where(where)
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(limit);
}
type Selected = Awaited<ReturnType<typeof selectAppointments>>[number];

/**
 * The patient, the clinician (by name: staff names are shown to staff readers), the team
 * with its organisation (the record may hold other organisations' appointments) and the
 * place, which we keep as free text only.
 */
function present({
  row,
  teamName,
  organisationName,
  clinicianName,
}: Selected): AppointmentResource {
  const participant: Participant[] = [
    { actor: { reference: `Patient/${row.patientId}`, type: 'Patient' }, status: 'accepted' },
  ];
  if (clinicianName !== null) {
    participant.push({
      actor: { type: 'Practitioner', display: clinicianName },
      status: 'accepted',
    });
  }
  participant.push(
    {
      actor: { type: 'HealthcareService', display: `${teamName}, ${organisationName}` },
      status: 'accepted',
    },
    { actor: { type: 'Location', display: row.location }, status: 'accepted' },
  );
  return {
    resourceType: 'Appointment',
    id: row.id,
    meta: { versionId: String(row.version), lastUpdated: row.updatedAt.toISOString() },
    status: row.status,
    start: row.startsAt.toISOString(),
    end: new Date(row.startsAt.getTime() + row.durationMinutes * 60_000).toISOString(),
    minutesDuration: row.durationMinutes,
    created: row.createdAt.toISOString(),
    // FHIR's field for what the patient is asked to do beforehand, as our preparation text is.
    ...(row.preparation.trim() === '' ? {} : { patientInstruction: row.preparation }),
    participant,
  };
}

/**
 * Appointment: read by id, and search by patient, oldest start first.
 *
 * Which appointments: all of a record's, whichever organisation's team they are with, once
 * the client's organisation looks after the record. Decision 0022 says a system sees what a
 * professional with record access sees (C3), and the appointments policy lets such staff read
 * every appointment in the record, not only their organisation's; a ward system showing fewer
 * than its nurses see would mislead. Each appointment names its team's organisation, so the
 * reader can tell whose it is.
 */
export const appointmentResource: FhirResource = {
  type: 'Appointment',
  scope: 'system/Appointment.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/Appointment/:id',
      {
        schema: {
          operationId: 'fhirReadAppointment',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 200: AppointmentResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const found = await withTransaction(deps.db, async (tx) => {
          const [selected] = await selectAppointments(
            tx,
            eq(appointments.id, request.params.id),
            1,
          );
          if (!selected) return null;
          const allowed = await mayReadRecord(tx, client, selected.row.patientId);
          await auditSystemRead(tx, client, requestFacts(request), deps.clock(), {
            action: 'appointment.read',
            entityType: 'appointment',
            entityId: selected.row.id,
            patientId: selected.row.patientId,
            outcome: allowed ? 'success' : 'denied',
          });
          return allowed ? selected : null;
        });
        if (!found) throw fhirNotFound();
        return present(found);
      },
    );

    app.get(
      '/Appointment',
      {
        schema: {
          operationId: 'fhirSearchAppointment',
          tags: ['fhir'],
          querystring: PatientSearchQuery,
          response: {
            200: searchsetSchema(AppointmentResourceSchema, 'Appointment'),
            ...outcomeResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const patientId = idOfReference(request.query.patient);
        const limit = pageSize(request.query._count);
        // (start, id): the order of appointments_patient_idx.
        const after = afterKeyset(
          request.query._cursor,
          { at: appointments.startsAt, id: appointments.id },
          'asc',
        );
        const facts = requestFacts(request);
        const search = { action: 'appointment.listed', patientId, limit };
        const page = await withTransaction(deps.db, (tx) =>
          searchRecord(tx, client, facts, deps.clock(), search, () =>
            selectAppointments(tx, and(eq(appointments.patientId, patientId), after), limit + 1),
          ),
        );
        const { items, next } = pageOf(page, limit, ({ row }) => [
          row.startsAt.toISOString(),
          row.id,
        ]);
        return searchset(
          base,
          {
            path: 'Appointment',
            params: {
              patient: patientId,
              _count: request.query._count,
              _cursor: request.query._cursor,
            },
          },
          items.map(present),
          next,
        );
      },
    );
  },
};
