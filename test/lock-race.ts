import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type Database, queryRows, type Tx } from '../src/server/platform/db/database';

/**
 * Races between requests, made to happen in one order on PostgreSQL: a third transaction (the
 * gate) holds a lock, so the first request stops where it takes that lock, and the second
 * comes to it while the first is half-way. PGlite has one connection, so only PostgreSQL can
 * run two requests at once: suites using these skip without `TEST_DATABASE_URL`.
 */

/** A request in flight, and whether it has answered yet. */
export interface Flight {
  answered: boolean;
  response: Promise<LightMyRequestResponse>;
}

export function inFlight(request: Promise<LightMyRequestResponse>): Flight {
  const flight = { answered: false, response: request };
  void request.then(() => (flight.answered = true));
  return flight;
}

/** Requests of this test's database waiting for a lock. */
async function waitingForLocks(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock'`,
  );
  return row?.n ?? 0;
}

/** Waits until `done()`, or until `waiters` requests wait for a lock; true if `done()`. */
async function settle(db: Database, done: () => boolean, waiters: number): Promise<boolean> {
  for (let i = 0; i < 500; i++) {
    if (done()) return true;
    if ((await waitingForLocks(db)) >= waiters) return done();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the request neither answered nor waited for a lock');
}

/** Whether the request comes to wait for a lock (with `waiters` in all) before answering. */
export const waitsForLock = async (db: Database, flight: Flight, waiters: number) =>
  !(await settle(db, () => flight.answered, waiters));

/**
 * Holds the lock `hold` takes in a transaction of its own (the gate) while `body` runs, and
 * lets go when `body` calls `release` or ends, however it ends.
 */
export async function withGate<T>(
  db: Database,
  hold: (tx: Tx) => Promise<unknown>,
  body: (release: () => Promise<void>) => Promise<T>,
): Promise<T> {
  let letGo: () => void = () => {};
  const released = new Promise<void>((resolve) => (letGo = resolve));
  let held: () => void = () => {};
  const holding = new Promise<void>((resolve) => (held = resolve));
  const gate = db.transaction(async (tx) => {
    await hold(tx);
    held();
    await released;
  });
  const release = async () => {
    letGo();
    await gate;
  };
  await holding;
  try {
    return await body(release);
  } finally {
    await release();
  }
}

/**
 * Holds the gate, starts `first` and waits until it waits there, then starts `second` and
 * waits until it has answered or waits for a lock too (`secondAnsweredFirst` says which), then
 * lets go. With `secondWaits`, the second answering first fails the test there and then.
 */
export function race(
  db: Database,
  hold: (tx: Tx) => Promise<unknown>,
  first: () => Promise<LightMyRequestResponse>,
  second: () => Promise<LightMyRequestResponse>,
  options: { secondWaits?: boolean } = {},
) {
  return withGate(db, hold, async (release) => {
    const one = inFlight(first());
    expect(await waitsForLock(db, one, 1), 'the first request waits at the gate').toBe(true);
    const two = inFlight(second());
    const secondAnsweredFirst = await settle(db, () => two.answered, 2);
    if (options.secondWaits) {
      expect(secondAnsweredFirst, 'the second request waits for the first').toBe(false);
    }
    await release();
    return { first: await one.response, second: await two.response, secondAnsweredFirst };
  });
}
