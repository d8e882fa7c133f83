import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';

/**
 * One email, ready to go. The subject and bodies come from templates.ts, which never take
 * clinical content (DESIGN N2).
 */
export interface OutgoingMail {
  /** One recipient address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * `<local@domain>`, set by the caller and the same for every attempt at one (event,
   * recipient), so a receiver can drop a duplicate of an at-least-once delivery (N4).
   * `notificationMessageId` makes one.
   */
  messageId: string;
  /** Extra headers. Never anything about the conversation or the patient. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /**
   * Resolves once the SMTP server has accepted the message. Rejects (within the
   * transport's timeouts) when it has not: the caller's signal to retry later.
   */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** A Mailer that owns connections, closed at shutdown. */
export interface SmtpMailer extends Mailer {
  close(): void;
}

export interface SmtpMailerSettings {
  /** smtp://user:pass@host:587 or smtps://… (Config.smtpUrl, or the demo capture's URL). */
  smtpUrl: string;
  /** Config.mailFrom. */
  mailFrom: string;
  /** Milliseconds; defaults suit a server on the same network (see SMTP_TIMEOUTS). */
  timeouts?: Partial<typeof SMTP_TIMEOUTS>;
}

/**
 * A dead or stuck server fails a send within seconds instead of the library's minutes
 * (2 minutes to connect, 10 to go quiet), so the outbox worker moves on and retries.
 */
export const SMTP_TIMEOUTS = {
  /** to open the TCP (and TLS) connection */
  connection: 5_000,
  /** from connecting to the server's greeting */
  greeting: 5_000,
  /** silence on an open connection, mid-conversation */
  socket: 15_000,
  /** resolving the server's name */
  dns: 5_000,
};

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** Headers the mailer sets itself; a caller's `headers` may not replace them. */
const OWN_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
  'content-type',
  'content-transfer-encoding',
  'mime-version',
  'auto-submitted',
]);

/** Sends through SMTP_URL with a small pool of reused connections. */
export function createSmtpMailer(settings: SmtpMailerSettings): SmtpMailer {
  const timeouts = { ...SMTP_TIMEOUTS, ...settings.timeouts };
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 100,
    // Under a typical server's own idle limit, so the pool rarely picks a connection the
    // server is about to drop.
    idleTimeout: 10_000,
    // A dropped connection is retried once here; after that the caller retries.
    maxRequeues: 1,
    connectionTimeout: timeouts.connection,
    greetingTimeout: timeouts.greeting,
    socketTimeout: timeouts.socket,
    dnsTimeout: timeouts.dns,
    // Silence nodemailer's own logger: it would print addresses.
    logger: false,
    debug: false,
  });

  return {
    async send(mail) {
      assertSendable(mail);
      const info = await transport.sendMail({
        from: settings.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: {
          ...mail.headers,
          // RFC 3834: no out-of-office replies to a notification.
          'Auto-Submitted': 'auto-generated',
        },
        // No X-Mailer header naming the library and its version.
        xMailer: false,
      });
      return { messageId: info.messageId ?? mail.messageId };
    },
    close() {
      transport.close();
    },
  };
}

function assertSendable(mail: OutgoingMail): void {
  if (!MESSAGE_ID.test(mail.messageId)) {
    throw new TypeError('messageId must look like <local@domain>');
  }
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!HEADER_NAME.test(name) || OWN_HEADERS.has(name.toLowerCase()) || /[\r\n]/.test(value)) {
      throw new TypeError(`header ${JSON.stringify(name)} may not be set`);
    }
  }
}

/**
 * A Message-ID that is the same every time for the same parts — for a notification,
 * (event id, recipient id) — so retries of one delivery carry one id (N4). The parts are
 * hashed: a header is no place for record ids (N2). The domain is the From address's.
 */
export function notificationMessageId(parts: readonly string[], mailFrom: string): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
  const domain = /@([^\s@<>]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'carethread.invalid';
  return `<${hash}@${domain}>`;
}
