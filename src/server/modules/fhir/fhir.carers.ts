import { and, asc, eq, type SQL } from 'drizzle-orm';
import Type from 'typebox';
import { type Tx, withTransaction } from '../../platform/db/database';
import { IdParam, requestFacts } from '../../platform/http/routes';
import { consentStatus, endOfPeriod } from '../consent/consent.presenters';
import { carerConsents } from '../consent/consent.schema';
import { patients } from '../patients/patients.schema';
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

const Reference = Type.Object({ reference: Type.String() });
const Text = Type.Object({ text: Type.String() });

export const RelatedPersonResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('RelatedPerson'),
    id: Type.String(),
    active: Type.Boolean(),
    patient: Reference,
    relationship: Type.Array(Text),
    name: Type.Array(
      Type.Object({
        use: Type.Literal('official'),
        family: Type.String(),
        given: Type.Array(Type.String()),
      }),
    ),
  },
  { $id: 'FhirRelatedPerson', title: 'RelatedPerson' },
);
type RelatedPersonResource = Type.Static<typeof RelatedPersonResourceSchema>;

/** FHIR R4 Consent.status codes, as ours map to them. */
const FHIR_CONSENT_STATUSES = ['active', 'inactive', 'proposed'] as const;
const CONSENT_SCOPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/consentscope';

export const ConsentResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Consent'),
    id: Type.String(),
    status: Type.Enum(FHIR_CONSENT_STATUSES),
    scope: Type.Object({
      coding: Type.Array(Type.Object({ system: Type.String(), code: Type.String() })),
    }),
    category: Type.Array(Text),
    patient: Reference,
    dateTime: Type.String(),
    // R4 wants a policy or a policy rule (ppc-1): ours is the patient's consent to a carer (C1).
    policyRule: Text,
    provision: Type.Object({
      period: Type.Object({ start: Type.String(), end: Type.Optional(Type.String()) }),
      actor: Type.Array(Type.Object({ role: Text, reference: Reference })),
      action: Type.Array(Text),
    }),
  },
  { $id: 'FhirConsent', title: 'Consent' },
);
type ConsentResource = Type.Static<typeof ConsentResourceSchema>;

/** A carer consent with its carer's names (from the carer's own record), and nothing else of it. */
function selectConsents(tx: Tx, where: SQL | undefined, limit: number) {
  return tx
    .select({ row: carerConsents, givenName: patients.givenName, familyName: patients.familyName })
    .from(carerConsents)
    .innerJoin(patients, eq(patients.id, carerConsents.carerPatientId))
    .where(where)
    .orderBy(asc(carerConsents.createdAt), asc(carerConsents.id))
    .limit(limit);
}
type Selected = Awaited<ReturnType<typeof selectConsents>>[number];

/** Our statuses, judged at `now` as the consent module judges them, in FHIR's codes. */
const FHIR_STATUS = {
  active: 'active',
  ended: 'inactive',
  revoked: 'inactive',
  not_started: 'proposed',
} as const satisfies Record<ReturnType<typeof consentStatus>, ConsentResource['status']>;

const patientReference = (row: Selected['row']) => ({ reference: `Patient/${row.patientId}` });

/** The carer as the patient agreed to them: their names only, never contact details. */
function presentRelatedPerson(
  { row, givenName, familyName }: Selected,
  now: Date,
): RelatedPersonResource {
  return {
    resourceType: 'RelatedPerson',
    id: row.id,
    active: consentStatus(row, now) === 'active',
    patient: patientReference(row),
    relationship: [{ text: 'Carer' }],
    name: [{ use: 'official', family: familyName, given: [givenName] }],
  };
}

function presentConsent({ row }: Selected, now: Date): ConsentResource {
  const end = endOfPeriod(row.startsAt, [row.endsAt, row.revokedAt]);
  return {
    resourceType: 'Consent',
    id: row.id,
    status: FHIR_STATUS[consentStatus(row, now)],
    scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: 'patient-privacy' }] },
    category: [{ text: 'Carer access' }],
    patient: patientReference(row),
    dateTime: row.createdAt.toISOString(),
    policyRule: { text: 'The patient’s consent to a carer, given in Carethread' },
    provision: {
      period: {
        start: row.startsAt.toISOString(),
        ...(end === null ? {} : { end: end.toISOString() }),
      },
      actor: [{ role: { text: 'Carer' }, reference: { reference: `RelatedPerson/${row.id}` } }],
      action: [{ text: row.level === 'message' ? 'view and send messages' : 'view messages' }],
    },
  };
}

interface CarerResourceOptions {
  type: 'RelatedPerson' | 'Consent';
  scope: 'system/RelatedPerson.read' | 'system/Consent.read';
  schema: typeof RelatedPersonResourceSchema | typeof ConsentResourceSchema;
  /** Audit actions, in READS (patients.access-log.ts). */
  readAction: string;
  listAction: string;
  present: (selected: Selected, now: Date) => RelatedPersonResource | ConsentResource;
}

/**
 * A patient's carers, one resource per carer consent (its id is the consent's): read by id,
 * and search by patient, oldest consent first, revoked and ended ones included. Whose: the
 * records the client's organisation looks after (C2), as for every resource; the carer's own
 * record need not be one of them, since only their names are shown, as the patient's consent
 * shows them to the patient's teams.
 */
function carerResource(options: CarerResourceOptions): FhirResource {
  const { type, scope, schema, readAction, listAction, present } = options;
  return {
    type,
    scope,
    interactions: ['read', 'search-type'],
    searchParams: [
      { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
    ],
    routes: (deps, base) => async (app) => {
      app.get(
        `/${type}/:id`,
        {
          schema: {
            operationId: `fhirRead${type}`,
            tags: ['fhir'],
            params: Type.Object({ id: IdParam }, { additionalProperties: false }),
            response: { 200: schema, ...outcomeResponses(400, 401, 403, 404) },
          },
        },
        async (request) => {
          const client = clientOf(request);
          const now = deps.clock();
          const found = await withTransaction(deps.db, async (tx) => {
            const [selected] = await selectConsents(tx, eq(carerConsents.id, request.params.id), 1);
            if (!selected) return null;
            const allowed = await mayReadRecord(tx, client, selected.row.patientId);
            await auditSystemRead(tx, client, requestFacts(request), now, {
              action: readAction,
              entityType: 'carer_consent',
              entityId: selected.row.id,
              patientId: selected.row.patientId,
              outcome: allowed ? 'success' : 'denied',
            });
            return allowed ? selected : null;
          });
          if (!found) throw fhirNotFound();
          return present(found, now);
        },
      );

      app.get(
        `/${type}`,
        {
          schema: {
            operationId: `fhirSearch${type}`,
            tags: ['fhir'],
            querystring: PatientSearchQuery,
            response: { 200: searchsetSchema(schema, type), ...outcomeResponses(400, 401, 403) },
          },
        },
        async (request) => {
          const client = clientOf(request);
          const now = deps.clock();
          const patientId = idOfReference(request.query.patient);
          const limit = pageSize(request.query._count);
          const after = afterKeyset(
            request.query._cursor,
            { at: carerConsents.createdAt, id: carerConsents.id },
            'asc',
          );
          const search = { action: listAction, patientId, limit };
          const page = await withTransaction(deps.db, (tx) =>
            searchRecord(tx, client, requestFacts(request), now, search, () =>
              selectConsents(tx, and(eq(carerConsents.patientId, patientId), after), limit + 1),
            ),
          );
          const { items, next } = pageOf(page, limit, ({ row }) => [
            row.createdAt.toISOString(),
            row.id,
          ]);
          return searchset(
            base,
            {
              path: type,
              params: {
                patient: patientId,
                _count: request.query._count,
                _cursor: request.query._cursor,
              },
            },
            items.map((selected) => present(selected, now)),
            next,
          );
        },
      );
    },
  };
}

/** RelatedPerson: who the patient has agreed may see, or send, messages for them (C1). */
export const relatedPersonResource = carerResource({
  type: 'RelatedPerson',
  scope: 'system/RelatedPerson.read',
  schema: RelatedPersonResourceSchema,
  readAction: 'carer.read',
  listAction: 'record.carers_listed',
  present: presentRelatedPerson,
});

/** Consent: what each carer may do, from when until when, and whether it is in force (C1). */
export const consentResource = carerResource({
  type: 'Consent',
  scope: 'system/Consent.read',
  schema: ConsentResourceSchema,
  readAction: 'carer.consent_read',
  listAction: 'record.carer_consents_listed',
  present: presentConsent,
});
