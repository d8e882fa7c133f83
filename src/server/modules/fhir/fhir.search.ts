import { type AnyColumn, eq, type SQL, sql } from 'drizzle-orm';
import Type from 'typebox';
import type { AuditOutcome } from '../../platform/audit/audit.schema';
import type { Tx } from '../../platform/db/database';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import { UUID_PATTERN } from '../../platform/http/routes';
import type { RequestFacts } from '../identity/actor';
import type { IntegrationActor } from '../integrations/integrations.tokens';
import { patients } from '../patients/patients.schema';
import { auditSystemRead, mayReadRecord } from './fhir.access';
import { CountParam, CursorParam } from './fhir.bundle';
import { fhirError } from './fhir.outcome';

/** Unknown, not looked after and invisible are the same answer (decision 0022). */
export const fhirNotFound = () => fhirError(404, 'fhir.not_found', 'There is no such resource.');

const UUID = UUID_PATTERN.slice(1, -1);

/**
 * A reference search parameter: `<id>` or `<Type>/<id>`, as FHIR allows both. The id is
 * Carethread's, never patient data. Wrap it in `Type.Optional` where it may be left out.
 */
export const referenceParam = (type: string) =>
  Type.String({
    pattern: `^(${type}/)?${UUID}$`,
    description: `The ${type.toLowerCase()}’s id, alone or as ${type}/<id>`,
  });
export const idOfReference = (value: string) => value.slice(value.lastIndexOf('/') + 1);

/**
 * A uuid as 32 hex digits, and back: two of them make an id of 64 characters, the most a
 * FHIR id may have, for a row whose key is a pair of uuids (fhir.task.ts, fhir.care-team.ts).
 */
export const compactUuid = (uuid: string) => uuid.replaceAll('-', '');
export const uuidOfCompact = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** The query of a search of one record and nothing else: `patient`, `_count`, `_cursor`. */
export const PatientSearchQuery = Type.Object(
  { patient: referenceParam('Patient'), _count: CountParam, _cursor: CursorParam },
  { additionalProperties: false },
);

/**
 * The searches that may start from more than one place (a record or a conversation) name
 * exactly one: a search across every record would list what no one asked to see.
 */
export function exactlyOne(type: string, names: string[], values: (string | undefined)[]) {
  if (values.filter((value) => value !== undefined).length !== 1) {
    throw fhirError(
      400,
      'fhir.search_parameter_required',
      `Search ${type} by exactly one of ${names.join(' or ')}.`,
    );
  }
}

/** One search of one record, as its audit entry names it: the record is the entity. */
export interface RecordSearch {
  action: string;
  patientId: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
}

/** Audits a search of one record in the patient's chain (C4). */
export async function auditRecordSearch(
  tx: Tx,
  client: IntegrationActor,
  request: RequestFacts,
  now: Date,
  { action, patientId, outcome, details }: RecordSearch,
): Promise<void> {
  await auditSystemRead(tx, client, request, now, {
    action,
    entityType: 'patient',
    entityId: patientId,
    patientId,
    outcome,
    details,
  });
}

/**
 * Whether the client may search this record (C2). A search of a record its organisation does
 * not look after finds nothing; when the record exists, the attempt is audited as refused
 * under the search's own action, so it never reads as a success (C4). No record, no audit.
 */
export async function maySearchRecord(
  tx: Tx,
  client: IntegrationActor,
  request: RequestFacts,
  now: Date,
  search: Omit<RecordSearch, 'outcome'>,
): Promise<boolean> {
  if (await mayReadRecord(tx, client, search.patientId)) return true;
  const [row] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.id, search.patientId));
  if (row) await auditRecordSearch(tx, client, request, now, { ...search, outcome: 'denied' });
  return false;
}

/**
 * A search of one record, audited with how many it shows: nothing when the client may not
 * search it (refused as `maySearchRecord` says), else what `select` fetches, one past the page.
 */
export async function searchRecord<R>(
  tx: Tx,
  client: IntegrationActor,
  request: RequestFacts,
  now: Date,
  { limit, ...search }: { action: string; patientId: string; limit: number },
  select: () => Promise<R[]>,
): Promise<R[]> {
  if (!(await maySearchRecord(tx, client, request, now, { ...search, details: { count: 0 } }))) {
    return [];
  }
  const rows = await select();
  const details = { count: Math.min(rows.length, limit) };
  await auditRecordSearch(tx, client, request, now, { ...search, details });
  return rows;
}

/**
 * A keyset cursor of this server: its first key passes `check` and the rest are ids. Anything
 * else is refused before it reaches a query's casts.
 */
export function cursorKey(
  cursor: string | undefined,
  size: number,
  check: (first: string) => boolean,
): string[] | null {
  const ids = new RegExp(UUID_PATTERN);
  return readCursor(
    cursor,
    size,
    ([first = '', ...rest]) => check(first) && rest.every((k) => ids.test(k)),
  );
}

/**
 * Where a page sorted by a time and then by ids (which break ties) starts: after the row its
 * cursor names, in the page's order. Undefined for the first page. The row comparison is what
 * an index on (…, time, id) serves.
 */
export function afterKeyset(
  cursor: string | undefined,
  key: { at: AnyColumn | SQL; id: AnyColumn | AnyColumn[] },
  order: 'asc' | 'desc',
): SQL | undefined {
  const ids = Array.isArray(key.id) ? key.id : [key.id];
  const after = cursorKey(cursor, 1 + ids.length, isTimestamp);
  if (after === null) return undefined;
  const [at, ...rest] = after;
  const columns = sql.join([key.at, ...ids], sql`, `);
  const values = sql.join(
    [sql`${at}::timestamptz`, ...rest.map((id) => sql`${id}::uuid`)],
    sql`, `,
  );
  return order === 'asc' ? sql`(${columns}) > (${values})` : sql`(${columns}) < (${values})`;
}

/**
 * A page from rows fetched one past its size, and the cursor after its last row when there
 * are more: `keyOf` gives that row's sort key, as `afterKeyset` or its own reader takes it.
 */
export function pageOf<R>(
  rows: R[],
  limit: number,
  keyOf: (last: R) => string[],
): { items: R[]; next: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    next: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
