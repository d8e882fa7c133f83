import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import Type from 'typebox';
import { type Tx, withTransaction } from '../../platform/db/database';
import { requestFacts, UUID_PATTERN } from '../../platform/http/routes';
import { grantStatus } from '../consent/consent.grants';
import { endOfPeriod } from '../consent/consent.presenters';
import { recordAccessGrants } from '../consent/consent.schema';
import { organisations, teams } from '../directory/directory.schema';
import { careRelationships } from '../patients/patients.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { pageSize, searchset, searchsetSchema } from './fhir.bundle';
import { outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import {
  afterKeyset,
  compactUuid,
  fhirNotFound,
  idOfReference,
  pageOf,
  PatientSearchQuery,
  searchRecord,
  uuidOfCompact,
} from './fhir.search';

/** FHIR R4 CareTeam.status codes, as ours map to them. */
const CARE_TEAM_STATUSES = ['proposed', 'active', 'inactive'] as const;
type CareTeamStatus = (typeof CARE_TEAM_STATUSES)[number];

const Text = Type.Object({ text: Type.String() });

export const CareTeamResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('CareTeam'),
    id: Type.String(),
    status: Type.Enum(CARE_TEAM_STATUSES),
    category: Type.Array(Text),
    name: Type.String(),
    subject: Type.Object({ reference: Type.String() }),
    period: Type.Object({ start: Type.String(), end: Type.Optional(Type.String()) }),
    // We serve no Organization resource: the organisation is named, not referenced.
    managingOrganization: Type.Array(Type.Object({ display: Type.String() })),
  },
  { $id: 'FhirCareTeam', title: 'CareTeam' },
);
type CareTeamResource = Type.Static<typeof CareTeamResourceSchema>;

/**
 * Ids. A care relationship has no id of its own (its key is the team and the patient), so
 * its CareTeam's id is the two joined as 64 hex digits, as a Task's is; a grant has one, so
 * its CareTeam is `grant-<grant id>`. Both are stable and read back to their row, and the
 * two shapes cannot be mistaken for each other.
 */
const GRANT_PREFIX = 'grant-';
export const relationshipCareTeamId = (teamId: string, patientId: string) =>
  `${compactUuid(teamId)}${compactUuid(patientId)}`;
export const grantCareTeamId = (grantId: string) => `${GRANT_PREFIX}${grantId}`;
const CareTeamIdParam = Type.String({
  pattern: `^([0-9a-f]{64}|${GRANT_PREFIX}${UUID_PATTERN.slice(1, -1)})$`,
  description: 'A care relationship’s 64 hex digits, or grant-<grant id>',
});

/** The team, its organisation, and when it started looking after the patient. */
interface CareTeamRow {
  id: string;
  patientId: string;
  /** The start, to the millisecond, as the keyset compares it. */
  start: Date;
  /** With `start`, the page's order: the team's id for a relationship, the grant's for a grant. */
  sortId: string;
  teamName: string;
  teamActive: boolean;
  organisationId: string;
  organisationName: string;
  /** The patient's grant, for a CareTeam that is one; null for a care relationship. */
  grant: typeof recordAccessGrants.$inferSelect | null;
}

/**
 * Start times to the millisecond: a cursor carries milliseconds, and a care relationship's
 * time is the database's own, with microseconds, which would read as after its own cursor.
 */
const toMillisecond = (
  column: typeof careRelationships.createdAt | typeof recordAccessGrants.startsAt,
) => sql`date_trunc('milliseconds', ${column})`.mapWith(column);
const relationshipStart = toMillisecond(careRelationships.createdAt);
const grantStart = toMillisecond(recordAccessGrants.startsAt);

const team = {
  teamName: teams.name,
  teamActive: teams.active,
  organisationId: teams.organisationId,
  organisationName: organisations.name,
};

async function selectRelationships(tx: Tx, where: SQL | undefined, limit: number) {
  const rows = await tx
    .select({
      teamId: careRelationships.teamId,
      patientId: careRelationships.patientId,
      start: relationshipStart,
      ...team,
    })
    .from(careRelationships)
    .innerJoin(teams, eq(teams.id, careRelationships.teamId))
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(where)
    .orderBy(asc(relationshipStart), asc(careRelationships.teamId))
    .limit(limit);
  return rows.map(({ teamId, ...row }): CareTeamRow => ({
    ...row,
    id: relationshipCareTeamId(teamId, row.patientId),
    sortId: teamId,
    grant: null,
  }));
}

async function selectGrants(tx: Tx, where: SQL | undefined, limit: number) {
  const rows = await tx
    .select({ grant: recordAccessGrants, start: grantStart, ...team })
    .from(recordAccessGrants)
    .innerJoin(teams, eq(teams.id, recordAccessGrants.teamId))
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(where)
    .orderBy(asc(grantStart), asc(recordAccessGrants.id))
    .limit(limit);
  return rows.map((row): CareTeamRow => ({
    ...row,
    id: grantCareTeamId(row.grant.id),
    patientId: row.grant.patientId,
    sortId: row.grant.id,
  }));
}

/** The CareTeam an id names, whichever organisation's team it is, or null. */
async function careTeamById(tx: Tx, id: string): Promise<CareTeamRow | null> {
  if (id.startsWith(GRANT_PREFIX)) {
    const grantId = id.slice(GRANT_PREFIX.length);
    const [row] = await selectGrants(tx, eq(recordAccessGrants.id, grantId), 1);
    return row ?? null;
  }
  const [teamId, patientId] = [uuidOfCompact(id.slice(0, 32)), uuidOfCompact(id.slice(32))];
  const where = and(
    eq(careRelationships.teamId, teamId),
    eq(careRelationships.patientId, patientId),
  );
  const [row] = await selectRelationships(tx, where, 1);
  return row ?? null;
}

const byStart = (a: CareTeamRow, b: CareTeamRow) =>
  a.start.getTime() - b.start.getTime() || (a.sortId < b.sortId ? -1 : a.sortId > b.sortId ? 1 : 0);

/** Where a page starts, in each of the two tables: after the (start, id) its cursor names. */
const afterCursor = (cursor: string | undefined) => ({
  relationships: afterKeyset(
    cursor,
    { at: relationshipStart, id: careRelationships.teamId },
    'asc',
  ),
  grants: afterKeyset(cursor, { at: grantStart, id: recordAccessGrants.id }, 'asc'),
});

/**
 * A page of the record's care teams of the organisation's active teams: relationships and
 * grants each sorted by (start, id) in the database and merged here, one past the page.
 * Uuids compare as their hex text does, so the merge keeps the keyset's order.
 */
async function careTeamsOf(
  tx: Tx,
  organisationId: string,
  patientId: string,
  page: { after: ReturnType<typeof afterCursor>; limit: number },
): Promise<CareTeamRow[]> {
  const ours = and(eq(teams.organisationId, organisationId), eq(teams.active, true));
  const { after, limit } = page;
  const relationships = await selectRelationships(
    tx,
    and(eq(careRelationships.patientId, patientId), ours, after.relationships),
    limit + 1,
  );
  const grants = await selectGrants(
    tx,
    and(eq(recordAccessGrants.patientId, patientId), ours, after.grants),
    limit + 1,
  );
  return [...relationships, ...grants].sort(byStart).slice(0, limit + 1);
}

/** A grant's status as the consent module judges it at `now` (C2), in FHIR's codes. */
const FHIR_GRANT_STATUS = {
  active: 'active',
  expired: 'inactive',
  revoked: 'inactive',
} as const satisfies Record<ReturnType<typeof grantStatus>, CareTeamStatus>;

function statusOfGrant(grant: NonNullable<CareTeamRow['grant']>, now: Date): CareTeamStatus {
  const status = grantStatus(grant, now);
  // grantStatus knows no grant dated ahead, since a grant starts when the patient makes it;
  // record access does not count one before its start (timeLimitedAccess), so neither do we.
  if (status === 'active' && grant.startsAt > now) return 'proposed';
  return FHIR_GRANT_STATUS[status];
}

/**
 * The team by name and its organisation, never its members (W2: who in a team does what is
 * the team's). A care relationship is active while it exists (ending it deletes it); a grant
 * runs from its start to its expiry or revocation, whichever came first.
 */
function present(row: CareTeamRow, now: Date): CareTeamResource {
  const { grant } = row;
  const end = grant && endOfPeriod(grant.startsAt, [grant.expiresAt, grant.revokedAt]);
  return {
    resourceType: 'CareTeam',
    id: row.id,
    status: grant ? statusOfGrant(grant, now) : 'active',
    category: [
      {
        text: grant
          ? 'Record shared by the patient, for a limited time'
          : 'Looks after the patient (set by the organisation)',
      },
    ],
    name: row.teamName,
    subject: { reference: `Patient/${row.patientId}` },
    period: { start: row.start.toISOString(), ...(end ? { end: end.toISOString() } : {}) },
    managingOrganization: [{ display: row.organisationName }],
  };
}

/**
 * CareTeam: the teams of the client's own organisation that look after a patient, one per
 * care relationship and one per grant the patient made to such a team (C2), ended grants
 * included. Another organisation's teams and inactive teams are not listed, and read as not
 * found. Read by id; search by patient, oldest first.
 */
export const careTeamResource: FhirResource = {
  type: 'CareTeam',
  scope: 'system/CareTeam.read',
  interactions: ['read', 'search-type'],
  searchParams: [
    { name: 'patient', type: 'reference', documentation: 'The patient’s id (Patient/<id>)' },
  ],
  routes: (deps, base) => async (app) => {
    app.get(
      '/CareTeam/:id',
      {
        schema: {
          operationId: 'fhirReadCareTeam',
          tags: ['fhir'],
          summary: 'A team of the organisation that looks after a patient',
          params: Type.Object({ id: CareTeamIdParam }, { additionalProperties: false }),
          response: { 200: CareTeamResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const now = deps.clock();
        const found = await withTransaction(deps.db, async (tx) => {
          const row = await careTeamById(tx, request.params.id);
          if (!row) return null;
          // Another organisation's team, or one no longer active, is not this system's to
          // see: refused, and audited as such, like any other refused read.
          const ours = row.organisationId === client.organisationId && row.teamActive;
          const allowed = ours && (await mayReadRecord(tx, client, row.patientId));
          await auditSystemRead(tx, client, requestFacts(request), now, {
            action: 'care_team.read',
            entityType: 'care_team',
            entityId: row.id,
            patientId: row.patientId,
            outcome: allowed ? 'success' : 'denied',
          });
          return allowed ? row : null;
        });
        if (!found) throw fhirNotFound();
        return present(found, now);
      },
    );

    app.get(
      '/CareTeam',
      {
        schema: {
          operationId: 'fhirSearchCareTeam',
          tags: ['fhir'],
          summary: 'The teams of the organisation that look after a patient',
          querystring: PatientSearchQuery,
          response: {
            200: searchsetSchema(CareTeamResourceSchema, 'CareTeam'),
            ...outcomeResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        const now = deps.clock();
        const { patient, _count, _cursor } = request.query;
        const patientId = idOfReference(patient);
        const limit = pageSize(_count);
        const after = afterCursor(_cursor);
        const search = { action: 'record.care_teams_listed', patientId, limit };
        const page = await withTransaction(deps.db, (tx) =>
          searchRecord(tx, client, requestFacts(request), now, search, () =>
            careTeamsOf(tx, client.organisationId, patientId, { after, limit }),
          ),
        );
        const { items, next } = pageOf(page, limit, (last) => [
          last.start.toISOString(),
          last.sortId,
        ]);
        return searchset(
          base,
          { path: 'CareTeam', params: { patient: patientId, _count, _cursor } },
          items.map((row) => present(row, now)),
          next,
        );
      },
    );
  },
};
