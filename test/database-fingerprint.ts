import { sql } from 'drizzle-orm';
import { type Database, queryRows as rows } from '../src/server/platform/db/database';

const tableNames = new WeakMap<Database, string[]>();

/**
 * Every table of the application's schema, each as its row count and a hash of all its
 * rows: equal fingerprints before and after a request mean it changed nothing at all, not
 * even an audit event or a rate-limit counter. One statement, so it is cheap to take often.
 */
export async function fingerprint(db: Database): Promise<Record<string, string>> {
  let names = tableNames.get(db);
  if (!names) {
    names = (
      await rows<{ name: string }>(
        db,
        sql`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
      )
    ).map((r) => r.name);
    tableNames.set(db, names);
  }
  const parts = names.map(
    (name) =>
      // A sum of row hashes: no order to sort by, and any row added, removed or changed shows.
      sql`select ${name}::text as name, count(*)::int as n,
            coalesce(sum(hashtext(t::text)::bigint), 0)::text as hash
          from ${sql.identifier(name)} t`,
  );
  const result = await rows<{ name: string; n: number; hash: string }>(
    db,
    sql.join(parts, sql` union all `),
  );
  return Object.fromEntries(result.map((r) => [r.name, `${r.n}:${r.hash}`]));
}

/** The tables whose fingerprints differ. */
export function changedTables(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
