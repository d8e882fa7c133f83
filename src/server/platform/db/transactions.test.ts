import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/database';
import { type DatabaseConnection, queryRows, withTransaction } from './database';

// PGlite has one connection, so only PostgreSQL can deadlock.
describe.skipIf(!process.env.TEST_DATABASE_URL)('transactions on PostgreSQL', () => {
  let connection: DatabaseConnection;
  beforeAll(async () => {
    connection = await createTestDatabase();
    await connection.db.execute(
      sql`create table deadlock_probe (id int primary key, n int not null)`,
    );
    await connection.db.execute(sql`insert into deadlock_probe values (1, 0), (2, 0)`);
  });
  afterAll(() => connection.close());

  it('a transaction chosen as a deadlock victim runs again, and both commit exactly once', async () => {
    const { db } = connection;
    let attempts = 0;
    let bothHoldFirstLock: () => void = () => {};
    let holding = 0;
    const firstLocksTaken = new Promise<void>((resolve) => (bothHoldFirstLock = resolve));
    const crossing = (first: number, second: number) =>
      withTransaction(db, async (tx) => {
        attempts += 1;
        await tx.execute(sql`update deadlock_probe set n = n + 1 where id = ${first}`);
        holding += 1;
        if (holding === 2) bothHoldFirstLock();
        await firstLocksTaken;
        await tx.execute(sql`update deadlock_probe set n = n + 1 where id = ${second}`);
      });

    await Promise.all([crossing(1, 2), crossing(2, 1)]);

    // At least one victim ran again. A busy machine can make the retry meet the survivor's
    // locks in the crossing order once more and be chosen again, so more is allowed: what
    // matters is that each change is committed exactly once.
    expect(attempts, 'a deadlock victim ran again').toBeGreaterThanOrEqual(3);
    const rows = await queryRows<{ id: number; n: number }>(
      db,
      sql`select id, n from deadlock_probe order by id`,
    );
    expect(rows).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 2 },
    ]);
  });
});
