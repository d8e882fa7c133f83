import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { buildApp } from '../src/server/app';
import { loadConfig } from '../src/server/platform/config/config';
import { openDatabase } from '../src/server/platform/db/open';

/**
 * The real application, built and composed as src/server/main.ts does (production config,
 * PostgreSQL, migrations on open), listening on a free loopback port. It runs on a worker
 * thread of the bench process so that the load generator's own JavaScript does not share
 * the server's event loop.
 */
export interface RunningServer {
  url: string;
  /**
   * The server thread's CPU so far (ms), the statements it has sent to PostgreSQL, and its
   * longest event-loop delay since the last call (ms).
   */
  usage(): Promise<{ cpuMs: number; statements: number; loopMaxMs: number }>;
  stop(): Promise<void>;
}

interface Started {
  type: 'listening';
  port: number;
}

interface UsageReply {
  type: 'usage';
  cpuMs: number;
  statements: number;
  loopMaxMs: number;
}

export function startServer(databaseUrl: string): Promise<RunningServer> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { databaseUrl } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`server worker exited with ${code}`)));
    worker.once('message', (message: Started) => {
      worker.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        usage: () =>
          new Promise((answer) => {
            worker.once('message', (reply: UsageReply) => answer(reply));
            worker.postMessage('usage');
          }),
        stop: () =>
          new Promise<void>((done) => {
            worker.once('exit', () => done());
            worker.postMessage('stop');
          }),
      });
    });
  });
}

/** Every statement sent on any connection, BEGIN and COMMIT included: the round trips. */
let statements = 0;
function countStatements(): void {
  const client = pg.Client.prototype as unknown as {
    query: (this: pg.Client, ...args: unknown[]) => unknown;
  };
  const query = client.query;
  client.query = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    return query.apply(this, args);
  };
}

async function serve(databaseUrl: string): Promise<void> {
  countStatements();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-session-secret-only-for-the-benchmark-run',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    DEMO_SEED: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    // Production requires mail settings. Nothing on the measured paths sends email: messages
    // only queue notifications in the outbox, and no delivery worker runs here.
    SMTP_URL: 'smtp://127.0.0.1:2525',
    PUBLIC_URL: 'https://carethread.bench.invalid',
  });
  const connection = await openDatabase(config);
  const app = await buildApp({ db: connection.db, config, clock: () => new Date() });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  parentPort!.on('message', (message) => {
    if (message === 'usage') {
      const cpu = process.threadCpuUsage();
      const reply: UsageReply = {
        type: 'usage',
        cpuMs: (cpu.user + cpu.system) / 1000,
        statements,
        loopMaxMs: loop.max / 1e6,
      };
      loop.reset();
      parentPort!.postMessage(reply);
      return;
    }
    if (message !== 'stop') return;
    void app
      .close()
      .then(() => connection.close())
      .then(() => process.exit(0));
  });
  parentPort!.postMessage({ type: 'listening', port: address.port } satisfies Started);
}

if (parentPort !== null && workerData !== null) {
  const { databaseUrl } = workerData as { databaseUrl: string };
  serve(databaseUrl).catch((error: unknown) => {
    console.error('bench server failed to start:', error);
    process.exit(1);
  });
}
