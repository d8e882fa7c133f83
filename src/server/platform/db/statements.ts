import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from './database';

/** A built statement: a Drizzle insert, update or delete (or raw SQL) not yet run. */
export interface Statement {
  getSQL(): SQL;
}

/**
 * Runs writes that return nothing as one statement, so together they cost one round trip:
 * all but the last become data-modifying CTEs of the last. They all see the database as it
 * was before the statement, so none may depend on another's effect. None may touch a row
 * another touches: PostgreSQL would silently skip a second update of it.
 */
export async function executeTogether(tx: Tx, writes: readonly Statement[]): Promise<void> {
  const last = writes.at(-1);
  if (!last) return;
  const before = writes
    .slice(0, -1)
    .map((write, i) => sql`${sql.identifier(`write_${i}`)} as (${write.getSQL()})`);
  await tx.execute(
    before.length > 0 ? sql`with ${sql.join(before, sql`, `)} ${last.getSQL()}` : last.getSQL(),
  );
}
