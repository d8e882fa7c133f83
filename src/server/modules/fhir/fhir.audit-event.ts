import { and, desc, eq, inArray, lt, notInArray, or, type SQL, sql } from 'drizzle-orm';
import Type from 'typebox';
import { type AuditOutcome, auditEvents } from '../../platform/audit/audit.schema';
import { type Tx, withTransaction } from '../../platform/db/database';
import { invalidCursor } from '../../platform/http/cursor';
import { requestFacts } from '../../platform/http/routes';
import { users } from '../identity/identity.schema';
import { BASIS, CHANGES, READS } from '../patients/patients.access-log';
import { pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import { cursorKey, idOfReference, pageOf, PatientSearchQuery, searchRecord } from './fhir.search';

/** Our audit actions, as a FHIR code system: AuditEvent.type's code is the action itself. */
export const AUDIT_ACTION_SYSTEM = 'https://carethread.dev/audit-actions';
/** Why the reader could see the record (care relationship, grant, break-glass...). */
export const ACCESS_BASIS_SYSTEM = 'https://carethread.dev/access-basis';
/** The event's link in the patient's hash chain, so a reader can keep it and spot rewrites. */
export const AUDIT_HASH_EXTENSION = 'https://carethread.dev/fhir/StructureDefinition/audit-hash';

const ACTION_CODES = ['C', 'R', 'U', 'D', 'E'] as const;
type ActionCode = (typeof ACTION_CODES)[number];

/** FHIR's outcome codes: 0 success, 4 minor failure (a refusal), 8 serious failure. */
const OUTCOME_CODES: Record<AuditOutcome, '0' | '4' | '8'> = {
  success: '0',
  denied: '4',
  failure: '8',
};

/**
 * Which of FHIR's C/R/U/D/E each shown change is; reads are R. Best effort: ending a
 * relationship or a consent deletes it, correcting a record updates it. A change added to
 * the log later and not named here is a U.
 */
const CHANGE_ACTION_CODES: Record<string, ActionCode> = {
  'patient.created': 'C',
  'care_relationship.set': 'C',
  'care_relationship.ended': 'D',
  'carer.invited': 'C',
  'carer.invitation_cancelled': 'D',
  'carer.consent_given': 'C',
  'carer.consent_revoked': 'D',
  'record_access.granted': 'C',
  'record_access.revoked': 'D',
  'record.break_glass': 'C',
  'document.upload_completed': 'C',
  'document.attached': 'C',
  'appointment.created': 'C',
};
/** Reads that also change who takes part in a conversation. */
const READS_THAT_CHANGE = new Set(['conversation.joined', 'conversation.participant_added']);

function actionCode(action: string): ActionCode {
  if (Object.hasOwn(READS, action)) return READS_THAT_CHANGE.has(action) ? 'U' : 'R';
  return CHANGE_ACTION_CODES[action] ?? 'U';
}

/**
 * The entity types we serve as FHIR resources; events about others carry no entity. A
 * conversation is a Communication (its thread header) and so is each message, by its own id.
 */
const ENTITY_RESOURCE_TYPES: Record<string, string> = {
  patient: 'Patient',
  conversation: 'Communication',
  message: 'Communication',
  appointment: 'Appointment',
  document: 'DocumentReference',
  carer_consent: 'Consent',
  care_team: 'CareTeam',
};

export const AuditEventResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('AuditEvent'),
    id: Type.String(),
    extension: Type.Array(Type.Object({ url: Type.String(), valueString: Type.String() })),
    type: Type.Object({ system: Type.String(), code: Type.String(), display: Type.String() }),
    action: Type.Enum(ACTION_CODES),
    recorded: Type.String(),
    outcome: Type.Union([Type.Literal('0'), Type.Literal('4'), Type.Literal('8')]),
    purposeOfEvent: Type.Optional(
      Type.Array(
        Type.Object({
          coding: Type.Array(
            Type.Object({ system: Type.String(), code: Type.String(), display: Type.String() }),
          ),
        }),
      ),
    ),
    agent: Type.Array(
      Type.Object({ who: Type.Object({ display: Type.String() }), requestor: Type.Boolean() }),
    ),
    source: Type.Object({ observer: Type.Object({ display: Type.String() }) }),
    entity: Type.Optional(
      Type.Array(Type.Object({ what: Type.Object({ reference: Type.String() }) })),
    ),
  },
  { $id: 'FhirAuditEvent', title: 'AuditEvent' },
);
type AuditEventResource = Type.Static<typeof AuditEventResourceSchema>;

/**
 * Only these columns leave the database. The details are never sent whole: they may hold
 * free text (a break-glass explanation, why something was added in error). Of them, only
 * the basis of access is taken, and only when it is one we name.
 */
function selectEvents(tx: Tx, where: SQL | undefined, limit: number) {
  return tx
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      outcome: auditEvents.outcome,
      basis: sql<string | null>`${auditEvents.details} ->> 'basis'`,
      hash: auditEvents.hash,
    })
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
type EventRow = Awaited<ReturnType<typeof selectEvents>>[number];

function present(row: EventRow): AuditEventResource {
  const resourceType = ENTITY_RESOURCE_TYPES[row.entityType];
  const basis = row.basis !== null && Object.hasOwn(BASIS, row.basis) ? row.basis : null;
  return {
    resourceType: 'AuditEvent',
    id: String(row.id),
    extension: [{ url: AUDIT_HASH_EXTENSION, valueString: row.hash }],
    type: {
      system: AUDIT_ACTION_SYSTEM,
      code: row.action,
      display: READS[row.action] ?? CHANGES[row.action] ?? row.action,
    },
    action: actionCode(row.action),
    recorded: row.occurredAt.toISOString(),
    outcome: OUTCOME_CODES[row.outcome],
    ...(basis
      ? {
          purposeOfEvent: [
            { coding: [{ system: ACCESS_BASIS_SYSTEM, code: basis, display: BASIS[basis] ?? '' }] },
          ],
        }
      : {}),
    agent: [{ who: { display: row.actorLabel }, requestor: true }],
    source: { observer: { display: 'Carethread' } },
    ...(resourceType && row.entityId
      ? { entity: [{ what: { reference: `${resourceType}/${row.entityId}` } }] }
      : {}),
  };
}

/** Newest first by event id; the cursor names its patient, so it cannot page another's. */
function afterCursor(cursor: string | undefined, patientId: string): number | null {
  const key = cursorKey(cursor, 2, (id) => /^\d{1,18}$/.test(id));
  if (key === null) return null;
  if (key[1] !== patientId) throw invalidCursor();
  return Number(key[0]);
}

/**
 * AuditEvent: who has seen the record and every change to its consents and access, newest
 * first (C4) — what the patient's own "Who has seen my record" shows, the same allow-list of
 * actions, plus refused attempts, which a hospital's information governance team looks for.
 * Team workflow (who is assigned, W2), messages sent (a message removed as sent in error
 * is a change, and shown) and the patient's own reads are not shown. Reading the trail is
 * itself audited (`record.audit_read`), after the page is read, so it shows in the next
 * search rather than at the top of the page that records it.
 */
export const auditEventResource: FhirResource = {
  type: 'AuditEvent',
  scope: 'system/AuditEvent.read',
  interactions: ['search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/AuditEvent',
      {
        schema: {
          operationId: 'fhirSearchAuditEvent',
          tags: ['fhir'],
          querystring: PatientSearchQuery,
          response: {
            200: searchsetSchema(AuditEventResourceSchema, 'AuditEvent'),
            ...outcomeResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const patientId = idOfReference(request.query.patient);
        const limit = pageSize(request.query._count);
        const after = afterCursor(request.query._cursor, patientId);
        const facts = requestFacts(request);
        const search = { action: 'record.audit_read', patientId, limit };
        const page = await withTransaction(deps.db, (tx) =>
          searchRecord(tx, client, facts, deps.clock(), search, async () => {
            const [patientUser] = await tx
              .select({ id: users.id })
              .from(users)
              .where(eq(users.patientId, patientId));
            const reads = Object.keys(READS);
            return selectEvents(
              tx,
              and(
                eq(auditEvents.patientId, patientId),
                inArray(auditEvents.action, [...reads, ...Object.keys(CHANGES)]),
                // The patient's own reads are theirs alone; their own changes are shown.
                or(
                  notInArray(auditEvents.action, reads),
                  sql`${auditEvents.actorUserId} is distinct from ${patientUser?.id ?? null}::uuid`,
                ),
                // A file chosen for a message is not in the record until the message is sent.
                sql`(${auditEvents.details} ->> 'draft') is distinct from 'true'`,
                after === null ? undefined : lt(auditEvents.id, after),
              ),
              limit + 1,
            );
          }),
        );
        const { items, next } = pageOf(page, limit, (last) => [String(last.id), patientId]);
        return searchset(
          base,
          {
            path: 'AuditEvent',
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
