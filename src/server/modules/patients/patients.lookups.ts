import { and, count, eq, gt, lte, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import { patientLookups } from './patients.schema';

/** Who looks a record up by NHS number: a person, or a connected system. */
export type Looker = { professionalId: string } | { integrationClientId: string };

export const LOOKUP_WINDOW_MS = 15 * 60 * 1000;
/** Lookups one person may make in LOOKUP_WINDOW_MS. */
export const LOOKUPS_PER_WINDOW = 60;
/**
 * Lookups one connected system may make in LOOKUP_WINDOW_MS: a hospital's record system
 * looks up a patient whenever a chart opens, but not thousands a minute.
 */
export const SYSTEM_LOOKUPS_PER_WINDOW = 3_000;

const lookerColumn = (looker: Looker) =>
  'professionalId' in looker
    ? { column: patientLookups.professionalId, id: looker.professionalId, kind: 'person' }
    : {
        column: patientLookups.integrationClientId,
        id: looker.integrationClientId,
        kind: 'system',
      };

/**
 * Refuses (429 `patient_lookup.too_many`) once the looker has made `max` lookups in the
 * window. Lookups of one looker queue on a lock, so two at once cannot both pass the count.
 * The looker's rows older than the window go as it passes: only the window is ever read, and
 * the audit trail keeps every lookup anyway.
 */
export async function limitLookups(tx: Tx, looker: Looker, now: Date, max: number): Promise<void> {
  const { column, id, kind } = lookerColumn(looker);
  const windowStart = new Date(now.getTime() - LOOKUP_WINDOW_MS);
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`patient-lookup:${kind}:${id}`}, 0))`,
  );
  await tx
    .delete(patientLookups)
    .where(and(eq(column, id), lte(patientLookups.lookedUpAt, windowStart)));
  const [recent] = await tx
    .select({ n: count() })
    .from(patientLookups)
    .where(and(eq(column, id), gt(patientLookups.lookedUpAt, windowStart)));
  if ((recent?.n ?? 0) >= max) {
    throw new AppError(
      429,
      'patient_lookup.too_many',
      'Too many lookups',
      'Many records have been looked up in a short time. Wait 15 minutes and try again.',
    );
  }
}

/** Keeps the lookup, without the number: who, when, and whether it found a record it may read. */
export async function logLookup(
  tx: Tx,
  looker: Looker,
  now: Date,
  outcome: 'found' | 'refused' | 'none',
): Promise<void> {
  await tx.insert(patientLookups).values({ ...looker, lookedUpAt: now, outcome });
}
