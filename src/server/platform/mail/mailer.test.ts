import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSmtpMailer,
  notificationMessageId,
  type OutgoingMail,
  type SmtpMailer,
} from './mailer';
import { type ReceivedEmail, startSmtpReceiver } from './receiver';

const FROM = 'Carethread <no-reply@carethread.example>';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'nurse@example.test',
    subject: 'You have a new secure message',
    text: 'You have a new secure message.',
    html: '<p>You have a new secure message.</p>',
    messageId: notificationMessageId(['message.sent', crypto.randomUUID()], FROM),
    ...overrides,
  };
}

/** A loopback SMTP server that keeps what it receives, or refuses it while `refusing`. */
async function receiver(port?: number) {
  const received: ReceivedEmail[] = [];
  const state = { refusing: false };
  const server = await startSmtpReceiver({
    port,
    onMessage: async (email) => {
      if (state.refusing) throw new Error('mailbox unavailable');
      received.push(email);
    },
  });
  return { server, received, state };
}

const mailers: SmtpMailer[] = [];
function mailerFor(url: string, timeouts?: Parameters<typeof createSmtpMailer>[0]['timeouts']) {
  const mailer = createSmtpMailer({ smtpUrl: url, mailFrom: FROM, timeouts });
  mailers.push(mailer);
  return mailer;
}
afterEach(() => {
  for (const mailer of mailers.splice(0)) mailer.close();
});

describe('createSmtpMailer, against a real SMTP server on loopback', () => {
  let smtp: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    smtp = await receiver();
  });
  afterAll(() => smtp.server.close());

  it('delivers the message with our Message-ID, From and bodies', async () => {
    const mailer = mailerFor(smtp.server.url);
    const outgoing = mail();
    const result = await mailer.send(outgoing);

    expect(result.messageId).toBe(outgoing.messageId);
    const email = smtp.received.find((e) => e.messageId === outgoing.messageId);
    expect(email).toMatchObject({
      to: 'nurse@example.test',
      from: 'no-reply@carethread.example',
      subject: outgoing.subject,
      html: outgoing.html,
    });
    expect(email?.text.trim()).toBe(outgoing.text);
    expect(email?.headerLines).toMatch(/^auto-submitted: auto-generated$/im);
    expect(email?.headerLines).not.toMatch(/^x-mailer:/im);
  });

  it('sends each retry of one (event, recipient) with the same Message-ID, so the receiver can deduplicate', async () => {
    const mailer = mailerFor(smtp.server.url);
    const eventKey = crypto.randomUUID();
    const first = mail({
      messageId: notificationMessageId(['message.sent', eventKey, 'u1'], FROM),
    });
    const retry = mail({
      messageId: notificationMessageId(['message.sent', eventKey, 'u1'], FROM),
    });
    await mailer.send(first);
    await mailer.send(retry);

    const copies = smtp.received.filter((e) => e.messageId === first.messageId);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((e) => e.messageId)).size).toBe(1);
  });

  it('delivers many messages at once through its pool of connections', async () => {
    const mailer = mailerFor(smtp.server.url);
    const batch = Array.from({ length: 20 }, () => mail());
    await Promise.all(batch.map((m) => mailer.send(m)));
    const ids = new Set(smtp.received.map((e) => e.messageId));
    for (const m of batch) expect(ids).toContain(m.messageId);
  });

  it('adds the caller’s extra headers', async () => {
    const mailer = mailerFor(smtp.server.url);
    const outgoing = mail({ headers: { 'X-Carethread-Kind': 'notification' } });
    await mailer.send(outgoing);
    const email = smtp.received.find((e) => e.messageId === outgoing.messageId);
    expect(email?.headerLines).toMatch(/^x-carethread-kind: notification$/im);
  });

  it('refuses a malformed Message-ID, or headers that would replace its own or inject lines', async () => {
    const mailer = mailerFor(smtp.server.url);
    await expect(mailer.send(mail({ messageId: 'no-brackets@example' }))).rejects.toThrow(
      /messageId/,
    );
    await expect(mailer.send(mail({ messageId: '<two@at@example>' }))).rejects.toThrow(/messageId/);
    const refused: Record<string, string>[] = [
      { Subject: 'Replaced' },
      { 'message-id': '<x@y>' },
      { 'X-Ok': 'value\r\nBcc: someone@example.test' },
      { 'X Bad Name': 'value' },
    ];
    for (const headers of refused) {
      await expect(mailer.send(mail({ headers }))).rejects.toThrow(/may not be set/);
    }
  });

  it('rejects when the server refuses the message, so the caller retries', async () => {
    const refusing = await receiver();
    refusing.state.refusing = true;
    try {
      const mailer = mailerFor(refusing.server.url);
      await expect(mailer.send(mail())).rejects.toMatchObject({ responseCode: 451 });
      expect(refusing.received).toHaveLength(0);
    } finally {
      await refusing.server.close();
    }
  });
});

describe('createSmtpMailer when the server is down', () => {
  it('rejects at once when nothing listens, and delivers once the server is back', async () => {
    // A port that was free a moment ago and has nothing on it now.
    const probe = await receiver();
    const port = probe.server.port;
    await probe.server.close();

    const mailer = mailerFor(`smtp://127.0.0.1:${port}`);
    await expect(mailer.send(mail())).rejects.toMatchObject({ code: 'ESOCKET' });

    const back = await receiver(port);
    try {
      const outgoing = mail();
      await mailer.send(outgoing);
      expect(back.received.map((e) => e.messageId)).toEqual([outgoing.messageId]);
    } finally {
      mailer.close();
      await back.server.close();
    }
  });

  it('gives up on a server that accepts connections but never answers, within its timeouts', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const mailer = mailerFor(`smtp://127.0.0.1:${port}`, { greeting: 200, socket: 200 });
      // The test's own time limit is the bound; the library default would wait 30 s.
      await expect(mailer.send(mail())).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 5_000);
});

describe('notificationMessageId', () => {
  const eventKey = crypto.randomUUID();
  const recipient = crypto.randomUUID();

  it('is the same for the same (event, recipient) and different otherwise', () => {
    const id = notificationMessageId(['message.sent', eventKey, recipient], FROM);
    expect(notificationMessageId(['message.sent', eventKey, recipient], FROM)).toBe(id);
    expect(notificationMessageId(['message.sent', eventKey, crypto.randomUUID()], FROM)).not.toBe(
      id,
    );
    expect(notificationMessageId(['message.reminder', eventKey, recipient], FROM)).not.toBe(id);
  });

  it('takes its domain from the From address and shows no record id', () => {
    const id = notificationMessageId(['message.sent', eventKey, recipient], FROM);
    expect(id).toMatch(/^<[0-9a-f]{40}@carethread\.example>$/);
    expect(id).not.toContain(eventKey);
    expect(id).not.toContain(recipient);
    expect(notificationMessageId(['x'], 'no-reply@trust.nhs.uk')).toMatch(/@trust\.nhs\.uk>$/);
  });

  it('does not let parts run together ("a","bc" is not "ab","c")', () => {
    expect(notificationMessageId(['a', 'bc'], FROM)).not.toBe(
      notificationMessageId(['ab', 'c'], FROM),
    );
  });
});
