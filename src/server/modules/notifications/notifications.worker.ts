import type { Database } from '../../platform/db/database';
import type { Mailer } from '../../platform/mail/mailer';
import { type Relay, startRelay } from '../../platform/outbox/relay';
import { invitationHandlers } from '../onboarding/onboarding.invitations';
import { APPOINTMENT_UPDATED, appointmentUpdateHandler } from './notifications.appointments';
import { breakGlassNoticeHandler, carerInvitationHandler } from './notifications.consent';
import { digestHandler } from './notifications.digest';
import { messageNotificationHandler } from './notifications.delivery';
import { REMINDER_DELAY_MS, scheduleDigests, scheduleReminders } from './notifications.schedule';

export interface NotificationWorkerOptions {
  db: Database;
  clock: () => Date;
  mailer: Mailer;
  publicUrl: string;
  mailFrom: string;
  reminderDelayMs?: number;
  /** How often reminders and digests are looked for. */
  scheduleEveryMs?: number;
  onError?: (error: unknown) => void;
}

export interface NotificationWorker {
  relay: Relay;
  /** Queues due reminders and digests, then delivers everything due: what a tick does. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/** The outbox relay with the notification handlers, and the reminder and digest schedule. */
export function startNotificationWorker(options: NotificationWorkerOptions): NotificationWorker {
  const deps = {
    db: options.db,
    clock: options.clock,
    mailer: options.mailer,
    publicUrl: options.publicUrl,
    mailFrom: options.mailFrom,
  };
  const relay = startRelay({
    db: options.db,
    clock: options.clock,
    onError: options.onError,
    handlers: {
      'message.notify': messageNotificationHandler(deps, 'notify'),
      'message.reminder': messageNotificationHandler(deps, 'reminder'),
      digest: digestHandler(deps),
      ...invitationHandlers(deps),
      'carer.invited': carerInvitationHandler(deps),
      'record.break_glass': breakGlassNoticeHandler(deps),
      [APPOINTMENT_UPDATED]: appointmentUpdateHandler(deps),
    },
  });
  const tick = async () => {
    const now = options.clock();
    await scheduleReminders(options.db, now, options.reminderDelayMs ?? REMINDER_DELAY_MS);
    await scheduleDigests(options.db, now);
    return relay.drain();
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.onError?.(error));
  }, options.scheduleEveryMs ?? 60_000);
  return {
    relay,
    tick,
    stop: async () => {
      clearInterval(timer);
      await relay.stop();
    },
  };
}
