import { eq } from 'drizzle-orm';
import Type from 'typebox';
import { withTransaction } from '../../platform/db/database';
import { IdParam, requestFacts } from '../../platform/http/routes';
import { parseNhsNumber } from '../patients/nhs-number';
import { limitLookups, logLookup, SYSTEM_LOOKUPS_PER_WINDOW } from '../patients/patients.lookups';
import { patients } from '../patients/patients.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { searchset, searchsetSchema } from './fhir.bundle';
import { fhirError, outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import { fhirNotFound } from './fhir.search';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

export const PatientResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Patient'),
    id: Type.String(),
    identifier: Type.Array(Type.Object({ system: Type.String(), value: Type.String() })),
    name: Type.Array(
      Type.Object({
        use: Type.Literal('official'),
        family: Type.String(),
        given: Type.Array(Type.String()),
      }),
    ),
    birthDate: Type.String(),
  },
  { $id: 'FhirPatient', title: 'Patient' },
);
type PatientResource = Type.Static<typeof PatientResourceSchema>;

const present = (row: typeof patients.$inferSelect): PatientResource => ({
  resourceType: 'Patient',
  id: row.id,
  identifier: [{ system: NHS_NUMBER_SYSTEM, value: row.nhsNumber }],
  name: [{ use: 'official', family: row.familyName, given: [row.givenName] }],
  birthDate: row.dateOfBirth,
});

/** `system|value` with the NHS number system; the number's check digit is checked too. */
function nhsNumberOf(identifier: string): string {
  const bar = identifier.indexOf('|');
  if (bar < 0 || identifier.slice(0, bar) !== NHS_NUMBER_SYSTEM) {
    throw fhirError(
      400,
      'fhir.identifier_unsupported',
      `Search by identifier=${NHS_NUMBER_SYSTEM}|<NHS number>.`,
    );
  }
  try {
    return parseNhsNumber(identifier.slice(bar + 1));
  } catch {
    throw fhirError(400, 'patient.nhs_number_invalid', 'The identifier is not a valid NHS number.');
  }
}

/**
 * Patient: read by id, and search by NHS number. The search is POSTed (FHIR's
 * `_search` with a form body), never a GET, so that the number stays out of addresses and
 * logs; no record and one the organisation does not look after both give an empty Bundle.
 */
export const patientResource: FhirResource = {
  type: 'Patient',
  scope: 'system/Patient.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    {
      name: 'identifier',
      type: 'token',
      documentation: `${NHS_NUMBER_SYSTEM}|<NHS number>, with POST Patient/_search only`,
    },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/Patient/:id',
      {
        schema: {
          operationId: 'fhirReadPatient',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 200: PatientResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const found = await withTransaction(deps.db, async (tx) => {
          const [row] = await tx.select().from(patients).where(eq(patients.id, request.params.id));
          if (!row) return null;
          const allowed = await mayReadRecord(tx, client, row.id);
          await auditSystemRead(tx, client, requestFacts(request), deps.clock(), {
            action: 'patient.read',
            entityType: 'patient',
            entityId: row.id,
            patientId: row.id,
            outcome: allowed ? 'success' : 'denied',
          });
          return allowed ? row : null;
        });
        if (!found) throw fhirNotFound();
        return present(found);
      },
    );

    app.get(
      '/Patient',
      {
        schema: { hide: true, response: outcomeResponses(400, 401, 403) },
      },
      async () => {
        throw fhirError(
          400,
          'fhir.search_by_post',
          'Search for patients with POST Patient/_search and a form body, so that NHS numbers stay out of addresses.',
        );
      },
    );

    app.post(
      '/Patient/_search',
      {
        schema: {
          operationId: 'fhirSearchPatient',
          tags: ['fhir'],
          consumes: ['application/x-www-form-urlencoded'],
          body: Type.Object(
            { identifier: Type.String({ maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: {
            200: searchsetSchema(PatientResourceSchema, 'Patient'),
            ...outcomeResponses(400, 401, 403, 415, 429),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const nhsNumber = nhsNumberOf(request.body.identifier);
        // As for staff: limited per system, and every lookup kept (without the number). The
        // limit, not timing, is what stands between a system and trying numbers.
        const found = await withTransaction(deps.db, async (tx) => {
          const now = deps.clock();
          const looker = { integrationClientId: client.clientId };
          await limitLookups(tx, looker, now, SYSTEM_LOOKUPS_PER_WINDOW);
          const [row] = await tx.select().from(patients).where(eq(patients.nhsNumber, nhsNumber));
          const allowed = row ? await mayReadRecord(tx, client, row.id) : false;
          if (row) {
            await auditSystemRead(tx, client, requestFacts(request), now, {
              action: 'patient.looked_up',
              entityType: 'patient',
              entityId: row.id,
              patientId: row.id,
              outcome: allowed ? 'success' : 'denied',
            });
          }
          await logLookup(tx, looker, now, row ? (allowed ? 'found' : 'refused') : 'none');
          return allowed ? row : null;
        });
        // The Bundle's self link names the search, not the number searched for.
        return searchset(
          base,
          { path: 'Patient/_search', params: {} },
          found ? [present(found)] : [],
          null,
        );
      },
    );
  },
};
