import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/database';
import { type DatabaseConnection, queryRows, withTransaction } from './database';
import { executeTogether } from './statements';
import { notifyOnCommit, writeOnCommit } from './on-commit';

const CHANNEL = 'on_commit_probe';

describe('writes in one statement, and writes and NOTIFYs held until commit', () => {
  let connection: DatabaseConnection;
  const heard: string[] = [];
  let unlisten: () => Promise<void>;

  beforeAll(async () => {
    connection = await createTestDatabase();
    await connection.db.execute(sql`create table probe_a (id int primary key, n int not null)`);
    await connection.db.execute(sql`create table probe_b (id int primary key, n int not null)`);
    unlisten = await connection.listen(CHANNEL, (payload) => heard.push(payload));
  });
  afterAll(async () => {
    await unlisten();
    await connection.close();
  });

  const rowsOf = (table: 'probe_a' | 'probe_b') =>
    queryRows<{ id: number; n: number }>(
      connection.db,
      sql`select id, n from ${sql.identifier(table)} order by id`,
    );

  /** Commits a marker NOTIFY and waits for it: anything sent before it has arrived by then. */
  async function settle(marker: string): Promise<string[]> {
    await withTransaction(connection.db, (tx) => notifyOnCommit(tx, CHANNEL, marker));
    await expect.poll(() => heard.includes(marker)).toBe(true);
    const all = heard.splice(0);
    return all.filter((payload) => payload !== marker);
  }

  it('executeTogether makes writes to several tables in one statement', async () => {
    await withTransaction(connection.db, (tx) =>
      executeTogether(tx, [
        sql`insert into probe_a values (1, 10)`,
        sql`insert into probe_b values (1, 20)`,
        sql`update probe_a set n = n + 1 where id = 1`, // sees the table as it was: no row yet
      ]),
    );
    expect(await rowsOf('probe_a')).toEqual([{ id: 1, n: 10 }]);
    expect(await rowsOf('probe_b')).toEqual([{ id: 1, n: 20 }]);
  });

  it('a transaction makes its held writes and NOTIFYs as it commits, each NOTIFY once', async () => {
    await withTransaction(connection.db, async (tx) => {
      await writeOnCommit(tx, sql`insert into probe_a values (2, 1)`);
      await writeOnCommit(tx, sql`update probe_b set n = n + 1 where id = 1`);
      await notifyOnCommit(tx, CHANNEL, 'first');
      await notifyOnCommit(tx, CHANNEL, 'second');
      await notifyOnCommit(tx, CHANNEL, 'first');
      const inside = await queryRows(tx, sql`select id from probe_a where id = 2`);
      expect(inside, 'held until commit').toEqual([]);
    });
    expect(await rowsOf('probe_a')).toEqual([
      { id: 1, n: 10 },
      { id: 2, n: 1 },
    ]);
    expect(await rowsOf('probe_b')).toEqual([{ id: 1, n: 21 }]);
    expect((await settle('marker-1')).sort()).toEqual(['first', 'second']);
  });

  it('a transaction that fails makes none of them', async () => {
    await expect(
      withTransaction(connection.db, async (tx) => {
        await writeOnCommit(tx, sql`insert into probe_a values (3, 1)`);
        await notifyOnCommit(tx, CHANNEL, 'lost');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rowsOf('probe_a')).toEqual([
      { id: 1, n: 10 },
      { id: 2, n: 1 },
    ]);
    expect(await settle('marker-2')).toEqual([]);
  });

  it('in a transaction not opened by withTransaction they are made at once', async () => {
    await connection.db.transaction(async (tx) => {
      await writeOnCommit(tx, sql`insert into probe_a values (4, 1)`);
      await notifyOnCommit(tx, CHANNEL, 'direct');
      const inside = await queryRows(tx, sql`select id from probe_a where id = 4`);
      expect(inside).toEqual([{ id: 4 }]);
    });
    expect(await settle('marker-3')).toEqual(['direct']);
  });
});
