import path from 'node:path';
import type { Config } from '../config/config';
import { connectPglite, connectPostgres, type DatabaseConnection, migrate } from './database';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: Config): Promise<DatabaseConnection> {
  const connection = config.databaseUrl
    ? connectPostgres(config.databaseUrl)
    : await connectPglite(path.join(config.dataDir, 'pglite'));
  await migrate(connection);
  return connection;
}
