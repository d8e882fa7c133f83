import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../../test/database';
import { TestClock } from '../../../../test/test-app';
import type { DatabaseConnection } from '../db/database';
import { startMailCapture } from './capture';
import { capturedEmails } from './capture.schema';
import { createSmtpMailer, notificationMessageId, type OutgoingMail } from './mailer';
import { newMessageEmail } from './templates';

const FROM = 'Carethread <no-reply@localhost>';

function outgoing(to: string): OutgoingMail {
  return {
    to,
    messageId: notificationMessageId(['message.sent', crypto.randomUUID(), to], FROM),
    ...newMessageEmail({
      organisationName: 'Demo Trust',
      teamName: 'PALS & <Friends>',
      signInUrl: 'http://localhost:3000/sign-in',
      footer: 'Demo Trust',
    }),
  };
}

let connection: DatabaseConnection;
beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(() => connection.close());

describe('the demo email capture', () => {
  it('stores each email it receives over SMTP', async () => {
    const clock = new TestClock();
    const capture = await startMailCapture({ db: connection.db, clock: clock.now });
    const mailer = createSmtpMailer({ smtpUrl: capture.url, mailFrom: FROM });
    const mail = outgoing('nurse.one@example.test');
    try {
      await mailer.send(mail);
    } finally {
      mailer.close();
      await capture.close();
    }

    const rows = await connection.db.select().from(capturedEmails);
    const row = rows.find((r) => r.messageId === mail.messageId);
    expect(row).toMatchObject({
      fromAddress: 'no-reply@localhost',
      toAddress: 'nurse.one@example.test',
      subject: 'You have a new secure message',
      receivedAt: clock.now(),
    });
    expect(row?.text).toContain('from PALS & <Friends> at Demo Trust');
    expect(row?.html).toContain('PALS &amp; &lt;Friends&gt;');
  });

  it('keeps only the newest emails', async () => {
    await connection.db.delete(capturedEmails);
    const clock = new TestClock();
    const capture = await startMailCapture({ db: connection.db, clock: clock.now, keep: 3 });
    const mailer = createSmtpMailer({ smtpUrl: capture.url, mailFrom: FROM });
    const sent: OutgoingMail[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const mail = outgoing(`person${i}@example.test`);
        await mailer.send(mail);
        sent.push(mail);
        clock.advance(1_000);
      }
    } finally {
      mailer.close();
      await capture.close();
    }

    const kept = await connection.db
      .select()
      .from(capturedEmails)
      .orderBy(desc(capturedEmails.receivedAt));
    expect(kept.map((r) => r.messageId)).toEqual(
      sent
        .slice(2)
        .reverse()
        .map((m) => m.messageId),
    );
  });
});
