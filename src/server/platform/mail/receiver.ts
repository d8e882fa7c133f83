import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An email as a receiver saw it, parsed with mailparser. */
export interface ReceivedEmail {
  /** The Message-ID header, with its angle brackets; '' when the message had none. */
  messageId: string;
  from: string;
  /** The To header's addresses, comma-separated. */
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** Every header, lower-case names, as sent (for tests that look for leaks anywhere). */
  headerLines: string;
  /** The whole message as it crossed the wire. */
  raw: string;
}

export interface SmtpReceiver {
  /** smtp://127.0.0.1:<port>, for createSmtpMailer. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /** Called with each parsed message; a rejection answers the client with a 451 (try again). */
  onMessage: (email: ReceivedEmail) => Promise<void>;
  /** Largest accepted message, in bytes. */
  maxBytes?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/**
 * A plain SMTP server on 127.0.0.1, on a free port: no authentication, no TLS, loopback
 * only. The demo capture stores what it receives; tests use it to read what was sent.
 */
export async function startSmtpReceiver(options: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    size: maxBytes,
    banner: 'Carethread loopback receiver',
    logger: false,
    // On close, connections still open (a sender's idle pool) are cut after this long.
    closeTimeout: 1_000,
    onData(stream, _session, callback) {
      void readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            return callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          }
          await options.onMessage(await parse(raw));
          callback();
        })
        .catch(() => {
          callback(Object.assign(new Error('Could not store the message'), { responseCode: 451 }));
        });
    },
  });
  // A client that misbehaves must not take the process down.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

async function parse(raw: Buffer): Promise<ReceivedEmail> {
  const parsed = await simpleParser(raw);
  return {
    messageId: parsed.messageId ?? '',
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headerLines: parsed.headerLines.map((h) => h.line).join('\n'),
    raw: raw.toString('utf8'),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .map((a) => a.address ?? '')
    .filter((a) => a !== '')
    .join(', ');
}
