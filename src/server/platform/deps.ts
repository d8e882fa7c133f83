import type { DestinationStream } from 'pino';
import type { Config } from './config/config';
import type { Database } from './db/database';

/** What every route, command and query may depend on; passed in, never imported. */
export interface AppDeps {
  db: Database;
  config: Config;
  /** The current time. Injected so tests can move it. */
  clock: () => Date;
  /** Where the server's log lines go; standard output when absent. Tests read them here. */
  logStream?: DestinationStream;
}
