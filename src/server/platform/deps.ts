import type { DestinationStream } from 'pino';
import type { Config } from './config/config';
import type { Database } from './db/database';
import type { Mailer } from './mail/mailer';
import type { EventHub } from './realtime/events';
import type { TestClockControl } from './testing/test-clock';

/** What every route, command and query may depend on; passed in, never imported. */
export interface AppDeps {
  db: Database;
  config: Config;
  /** The current time. Injected so tests can move it. */
  clock: () => Date;
  /** Sends email over SMTP: SMTP_URL, or the demo capture. Absent only where nothing sends email. */
  mailer?: Mailer;
  /** This instance's live (SSE) clients; fed by LISTEN on the events channel. */
  events?: EventHub;
  /** Moves `clock`; present only with CARETHREAD_TEST_CLOCK (browser tests). */
  testClock?: TestClockControl;
  /** Where the server's log lines go; standard output when absent. Tests read them here. */
  logStream?: DestinationStream;
}
