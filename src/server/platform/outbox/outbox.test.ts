import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/database';
import { eventually, outboxRows } from '../../../../test/notifications-world';
import { TestClock } from '../../../../test/test-app';
import { type DatabaseConnection, withTransaction } from '../db/database';
import {
  claimDue,
  enqueue,
  LEASE_MS,
  MAX_ATTEMPTS,
  OUTBOX_CHANNEL,
  type OutboxItem,
  retryDelayMs,
} from './outbox';
import { type Handler, startRelay } from './relay';

let connection: DatabaseConnection;
const clock = new TestClock();

beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(() => connection.close());

/** An item of a kind only this test uses, so tests in the file never see each other's rows. */
function item(kind: string, fields: Partial<OutboxItem> = {}): OutboxItem {
  return {
    kind,
    eventKey: `event:${randomUUID()}`,
    recipientUserId: randomUUID(),
    payload: {},
    ...fields,
  };
}
const rowsOf = async (kind: string) => (await outboxRows(connection.db, { kind })).map((r) => r);

describe('retry backoff (N4)', () => {
  it('doubles from 30 s to a one-hour ceiling, with jitter between half and all of it', () => {
    const ceilings = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, () => 1));
    expect(ceilings.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(ceilings.at(-1)).toBe(60 * 60_000);
    for (let attempts = 1; attempts <= 12; attempts++) {
      const ceiling = Math.min(30_000 * 2 ** (attempts - 1), 60 * 60_000);
      expect(retryDelayMs(attempts, () => 0)).toBe(ceiling / 2);
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(attempts);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    // Jitter: many workers retrying after one outage do not all come back at once.
    const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(3)));
    expect(spread.size).toBeGreaterThan(1);
  });
});

describe('enqueue (N4)', () => {
  it('writes nothing and wakes nobody when the transaction rolls back; both once it commits', async () => {
    const notified: string[] = [];
    const stop = await connection.listen(OUTBOX_CHANNEL, (payload) => notified.push(payload));
    try {
      const kind = `test.rollback.${randomUUID()}`;
      await expect(
        withTransaction(connection.db, async (tx) => {
          await enqueue(tx, [item(kind), item(kind)], clock.now());
          throw new Error('the change failed after queueing');
        }),
      ).rejects.toThrow('the change failed');
      expect(await rowsOf(kind)).toEqual([]);

      await withTransaction(connection.db, (tx) => enqueue(tx, [item(kind)], clock.now()));
      expect(await rowsOf(kind)).toHaveLength(1);
      await eventually(
        () => (notified.length > 0 ? true : undefined),
        'a NOTIFY on the outbox channel after the commit',
      );
      // One commit, one wake-up: the rolled-back transaction sent none.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notified).toHaveLength(1);
    } finally {
      await stop();
    }
  });

  it('keeps one row per (kind, event, recipient), however often it is queued', async () => {
    const kind = `test.dedup.${randomUUID()}`;
    const once = item(kind);
    await withTransaction(connection.db, (tx) => enqueue(tx, [once, { ...once }], clock.now()));
    await withTransaction(connection.db, (tx) =>
      enqueue(tx, [{ ...once, payload: { other: 'payload' } }], clock.now()),
    );
    expect(await rowsOf(kind)).toHaveLength(1);

    // Another recipient, event or kind is another row.
    await withTransaction(connection.db, (tx) =>
      enqueue(
        tx,
        [
          { ...once, recipientUserId: randomUUID() },
          { ...once, eventKey: `event:${randomUUID()}` },
          { ...once, kind: `${kind}.other` },
        ],
        clock.now(),
      ),
    );
    expect(await rowsOf(kind)).toHaveLength(3);
    expect(await rowsOf(`${kind}.other`)).toHaveLength(1);
  });
});

describe('claiming (N4)', () => {
  it('never hands one row to two workers, and hands it over when the lease runs out', async () => {
    const kind = `test.claim.${randomUUID()}`;
    const local = new TestClock(new Date('2040-01-01T00:00:00Z'));
    await withTransaction(connection.db, (tx) =>
      enqueue(
        tx,
        Array.from({ length: 10 }, () => item(kind)),
        new Date('2039-12-31T00:00:00Z'),
      ),
    );
    // Rows of other tests are due too; only this test's kind is counted.
    const mine = (rows: { kind: string; id: number }[]) =>
      rows.filter((r) => r.kind === kind).map((r) => r.id);
    const [a, b, c] = await Promise.all([
      claimDue(connection.db, local.now(), 1_000),
      claimDue(connection.db, local.now(), 1_000),
      claimDue(connection.db, local.now(), 1_000),
    ]);
    const claimed = [...mine(a), ...mine(b), ...mine(c)];
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed).size).toBe(10);

    // Still leased: nobody else takes them.
    local.advance(LEASE_MS - 1);
    expect(mine(await claimDue(connection.db, local.now(), 1_000))).toEqual([]);
    // The worker died: after the lease they are claimed again, and the attempt counts.
    local.advance(1);
    const again = (await claimDue(connection.db, local.now(), 1_000)).filter(
      (r) => r.kind === kind,
    );
    expect(again).toHaveLength(10);
    expect(again.every((r) => r.attempts === 2)).toBe(true);
  });
});

describe('the relay (N4)', () => {
  it('records sent and dropped outcomes, retries failures with backoff, and dead-letters after MAX_ATTEMPTS', async () => {
    const local = new TestClock(new Date('2050-01-01T00:00:00Z'));
    const base = `test.relay.${randomUUID()}`;
    const kinds = { ok: `${base}.ok`, drop: `${base}.drop`, fail: `${base}.fail` };
    await withTransaction(connection.db, (tx) =>
      enqueue(tx, [item(kinds.ok), item(kinds.drop), item(kinds.fail)], local.now()),
    );
    const fail: Handler = async () => {
      // An SMTP error quotes the address; none of that may be stored.
      throw Object.assign(new Error('550 mailbox unavailable: canary.person@example.test'), {
        code: 'EENVELOPE',
        responseCode: 550,
      });
    };
    const relay = startRelay({
      db: connection.db,
      clock: local.now,
      intervalMs: 60_000,
      handlers: {
        [kinds.ok]: async () => ({ outcome: 'sent' }),
        [kinds.drop]: async () => ({ outcome: 'dropped', reason: 'no_access' }),
        [kinds.fail]: fail,
      },
    });
    try {
      await relay.drain();
      expect((await rowsOf(kinds.ok))[0]?.status).toBe('sent');
      expect((await rowsOf(kinds.drop))[0]).toMatchObject({
        status: 'dropped',
        dropped_reason: 'no_access',
      });
      let failed = (await rowsOf(kinds.fail))[0];
      expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
      expect(failed?.last_error).toContain('550');
      expect(failed?.last_error).not.toContain('canary');
      const wait = failed!.next_attempt_at.getTime() - local.now().getTime();
      expect(wait).toBeGreaterThanOrEqual(15_000);
      expect(wait).toBeLessThanOrEqual(30_000);

      // Not due yet: nothing happens.
      await relay.drain();
      expect((await rowsOf(kinds.fail))[0]?.attempts).toBe(1);

      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        local.advance(60 * 60_000);
        await relay.drain();
        failed = (await rowsOf(kinds.fail))[0];
        expect(failed?.attempts).toBe(attempt);
        expect(failed?.status).toBe(attempt < MAX_ATTEMPTS ? 'pending' : 'dead');
      }
      local.advance(24 * 60 * 60_000);
      await relay.drain();
      expect((await rowsOf(kinds.fail))[0]).toMatchObject({
        status: 'dead',
        attempts: MAX_ATTEMPTS,
      });
      // Sent and dropped rows are never delivered again.
      expect((await rowsOf(kinds.ok))[0]?.attempts).toBe(1);
      expect((await rowsOf(kinds.drop))[0]?.attempts).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('a row of a kind nobody handles is retried, not lost', async () => {
    const local = new TestClock(new Date('2060-01-01T00:00:00Z'));
    const kind = `test.unhandled.${randomUUID()}`;
    await withTransaction(connection.db, (tx) => enqueue(tx, [item(kind)], local.now()));
    const relay = startRelay({ db: connection.db, clock: local.now, handlers: {} });
    try {
      await relay.drain();
      expect((await rowsOf(kind))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    } finally {
      await relay.stop();
    }
  });
});
