import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { isDeadlock } from './errors';
import { withHeldUntilCommit } from './on-commit';
import { prepareStatementsOnEveryConnection } from './prepared-statements';
import * as schema from './schema';

export type Schema = typeof schema;
/** The database handle: the same type whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction-bound handle. Commands receive one of these, never the Database. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface DatabaseConnection {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** Subscribes to NOTIFY on a channel; resolves with the way to unsubscribe. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../drizzle',
);

/** Opens PostgreSQL through node-postgres. */
export function connectPostgres(url: string, poolSize = 10): DatabaseConnection {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  prepareStatementsOnEveryConnection(pool);
  const db = drizzlePostgres({ client: pool, schema }) as unknown as Database;
  const listen = async (channel: string, onNotify: (payload: string) => void) => {
    // LISTEN needs a connection of its own for as long as the subscription lasts. If the
    // server goes away (restart, failover) it reconnects, then calls onNotify('') once so
    // the subscriber can catch up on what it may have missed.
    let client: pg.Client | null = null;
    let closed = false;
    const connect = async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('error', () => void reconnect(next));
      next.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = next;
    };
    const reconnect = async (failed: pg.Client) => {
      if (closed || client !== failed) return;
      client = null;
      failed.end().catch(() => undefined);
      while (!closed && client === null) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (closed) return;
        try {
          await connect();
          onNotify('');
        } catch {
          // the database is still away: try again
        }
      }
    };
    await connect();
    return async () => {
      closed = true;
      const current: pg.Client | null = client;
      await current?.end();
    };
  };
  return { db, driver: 'postgres', listen, close: () => pool.end() };
}

/** Opens the embedded database; `dataDir` null keeps it in memory. */
export async function connectPglite(
  dataDir: string | null,
  loadDataDir?: Blob,
): Promise<DatabaseConnection & { client: PGlite }> {
  if (dataDir !== null) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir ?? undefined, loadDataDir ? { loadDataDir } : {});
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  const listen = async (channel: string, onNotify: (payload: string) => void) => {
    const unsubscribe = await client.listen(channel, onNotify);
    return () => unsubscribe();
  };
  return { db, client, driver: 'pglite', listen, close: () => client.close() };
}

/** Applies every pending migration in drizzle/. Safe to run on each start. */
export async function migrate(connection: DatabaseConnection): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (connection.driver === 'postgres') {
    await migratePostgres(connection.db as Parameters<typeof migratePostgres>[0], config);
  } else {
    await migratePglite(connection.db as Parameters<typeof migratePglite>[0], config);
  }
}

/** Attempts of a transaction that PostgreSQL rolled back to break a deadlock. */
const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs `work` in one transaction and hands it the transaction-bound handle, so the outer
 * handle cannot be used by mistake inside it. A transaction rolled back to break a deadlock
 * left nothing behind, so it runs again (transactions here touch only the database). The
 * NOTIFYs and the writes it holds back are made together just before commit (see on-commit).
 */
export async function withTransaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction((tx) => withHeldUntilCommit(tx, work));
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Database | Tx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}
