import { buildApp } from './app';
import { seedDemo } from './demo/demo-seed';
import { ConfigError, loadConfig } from './platform/config/config';
import { openDatabase } from './platform/db/open';

/** Composition root: config → database → app → listen, and a graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await openDatabase(config);
  const clock = () => new Date();
  const app = await buildApp({ db: connection.db, config, clock });

  if (config.demoSeed) {
    const outcome = await seedDemo(connection.db, clock());
    app.log.info({ outcome }, 'demo organisation ready');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await connection.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
  app.log.info(`Carethread is ready at http://localhost:${config.port} (${database})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Carethread failed to start:', error);
  }
  process.exit(1);
});
