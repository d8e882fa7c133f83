import { buildApp } from './app';
import { movableClock } from './platform/testing/test-clock';
import { seedDemo } from './demo/demo-seed';
import { ConfigError, loadConfig } from './platform/config/config';
import { openDatabase } from './platform/db/open';
import { forgetExpiredKeys } from './platform/idempotency/idempotency';
import { startMailCapture } from './platform/mail/capture';
import { createSmtpMailer } from './platform/mail/mailer';
import { EVENTS_CHANNEL, EventHub } from './platform/realtime/events';
import { OUTBOX_CHANNEL } from './platform/outbox/outbox';
import { startNotificationWorker } from './modules/notifications/notifications.worker';
import { FHIR_PREFIX } from './modules/fhir/fhir.routes';
import { startSubscriptionDelivery } from './modules/subscriptions/subscriptions.delivery';

/** Composition root: config → database → mail → app → listen, and a graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await openDatabase(config);
  // Browser tests may move time forward (CARETHREAD_TEST_CLOCK); everyone else has real time.
  const { clock, control: testClock } = config.testClock
    ? movableClock()
    : { clock: () => new Date(), control: undefined };
  // Demo: an SMTP server on loopback keeps every email for the development mailbox.
  const capture = config.mailCapture ? await startMailCapture({ db: connection.db, clock }) : null;
  const smtpUrl = config.smtpUrl ?? capture?.url;
  if (smtpUrl === undefined) throw new Error('no SMTP server: set SMTP_URL');
  const mailer = createSmtpMailer({ smtpUrl, mailFrom: config.mailFrom });
  const events = new EventHub();
  const app = await buildApp({ db: connection.db, config, clock, mailer, events, testClock });
  const stopListening = await connection.listen(
    EVENTS_CHANNEL,
    (payload) => void events.dispatch(payload),
  );
  const worker = startNotificationWorker({
    db: connection.db,
    clock,
    mailer,
    publicUrl: config.publicUrl,
    mailFrom: config.mailFrom,
    onError: (error) =>
      app.log.error({ err: { type: (error as Error).name } }, 'notification worker failed'),
  });
  const subscriptions = startSubscriptionDelivery({
    db: connection.db,
    clock,
    fhirBase: `${config.publicUrl}${FHIR_PREFIX}`,
    // As the Subscription route decides it: where loopback http is refused, so is loopback.
    refuseLocalAddresses: config.nodeEnv === 'production',
    onError: (error) =>
      app.log.error({ err: { type: (error as Error).name } }, 'subscription delivery failed'),
  });
  // New work in the outbox and new subscription events are announced on the same channel.
  const stopWaking = await connection.listen(OUTBOX_CHANNEL, () => {
    worker.relay.wake();
    subscriptions.wake();
  });
  const housekeeping = setInterval(() => {
    forgetExpiredKeys(connection.db, clock()).catch(() => app.log.error('housekeeping failed'));
  }, 60 * 60_000);

  if (config.demoSeed) {
    const outcome = await seedDemo(connection.db, clock());
    app.log.info({ outcome }, 'demo organisation ready');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(housekeeping);
    events.endAll();
    await app.close();
    await stopWaking();
    await stopListening();
    await worker.stop();
    await subscriptions.stop();
    mailer.close();
    await capture?.close();
    await connection.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  const database = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
  app.log.info(`Carethread is ready at http://localhost:${config.port} (${database})`);
  if (capture) app.log.info(`no SMTP_URL: emails go to the development mailbox (${capture.url})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Carethread failed to start:', error);
  }
  process.exit(1);
});
