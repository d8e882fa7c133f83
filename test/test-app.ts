import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/platform/config/config';
import type { Database, DatabaseConnection } from '../src/server/platform/db/database';
import type { AppDeps } from '../src/server/platform/deps';
import type { Mailer } from '../src/server/platform/mail/mailer';
import { EVENTS_CHANNEL, EventHub } from '../src/server/platform/realtime/events';
import { createTestDatabase } from './database';

/** A clock tests can move. */
export class TestClock {
  constructor(private current = new Date('2026-11-25T09:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  clock: TestClock;
  deps: AppDeps;
  /** The database connection itself, for LISTEN and for a second app on the same database. */
  connection: DatabaseConnection;
  /** This app's live clients, fed by LISTEN as in production. */
  events: EventHub;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** How the app sends email: a real SMTP mailer pointed at a loopback receiver. */
  mailer?: Mailer;
  /** More environment for loadConfig, such as SMTP_URL. */
  env?: Record<string, string>;
}

/** The real app on a fresh database, exercised in-process with app.inject. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const connection = await createTestDatabase();
  const clock = new TestClock();
  // Uploaded documents go to a directory of this app's own, removed on close.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'carethread-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    WEB_ROOT: 'test/no-web-app',
    DATA_DIR: dataDir,
    ...options.env,
  });
  const events = new EventHub();
  const deps: AppDeps = { db: connection.db, config, clock: clock.now, events };
  if (options.mailer) deps.mailer = options.mailer;
  const app = await buildApp(deps);
  await app.ready();
  const stopListening = await connection.listen(
    EVENTS_CHANNEL,
    (payload) => void events.dispatch(payload),
  );
  return {
    app,
    db: connection.db,
    clock,
    deps,
    connection,
    events,
    close: async () => {
      events.endAll();
      await app.close();
      await stopListening();
      await connection.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
