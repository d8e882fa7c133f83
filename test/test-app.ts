import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/platform/config/config';
import type { Database } from '../src/server/platform/db/database';
import type { AppDeps } from '../src/server/platform/deps';
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
  close(): Promise<void>;
}

/** The real app on a fresh database, exercised in-process with app.inject. */
export async function buildTestApp(): Promise<TestApp> {
  const connection = await createTestDatabase();
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', WEB_ROOT: 'test/no-web-app' });
  const deps: AppDeps = { db: connection.db, config, clock: clock.now };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    db: connection.db,
    clock,
    deps,
    close: async () => {
      await app.close();
      await connection.close();
    },
  };
}
