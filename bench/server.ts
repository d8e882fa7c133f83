import { parentPort, Worker, workerData } from 'node:worker_threads';
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
  stop(): Promise<void>;
}

interface Started {
  type: 'listening';
  port: number;
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
        stop: () =>
          new Promise<void>((done) => {
            worker.once('exit', () => done());
            worker.postMessage('stop');
          }),
      });
    });
  });
}

async function serve(databaseUrl: string): Promise<void> {
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
  parentPort!.on('message', (message) => {
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
