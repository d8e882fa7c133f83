import { sql } from 'drizzle-orm';
import { type Database, withTransaction } from '../db/database';
import { capturedEmails } from './capture.schema';
import { type ReceivedEmail, type SmtpReceiver, startSmtpReceiver } from './receiver';

/** How many captured emails the demo mailbox keeps; older ones are deleted. */
export const CAPTURE_KEEP = 1_000;

export interface MailCaptureOptions {
  db: Database;
  clock: () => Date;
  /** Keep only the newest this many (CAPTURE_KEEP). */
  keep?: number;
}

/**
 * The demo's email capture: an SMTP server on loopback that stores every message it
 * receives in `captured_emails`, for the development mailbox. The app sends to it through
 * real SMTP, exactly as it would to a production server.
 */
export async function startMailCapture(options: MailCaptureOptions): Promise<SmtpReceiver> {
  const keep = options.keep ?? CAPTURE_KEEP;
  return startSmtpReceiver({
    onMessage: (email) => storeCapturedEmail(options.db, email, options.clock(), keep),
  });
}

export async function storeCapturedEmail(
  db: Database,
  email: ReceivedEmail,
  receivedAt: Date,
  keep: number = CAPTURE_KEEP,
): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.insert(capturedEmails).values({
      messageId: email.messageId,
      fromAddress: email.from,
      toAddress: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      receivedAt,
    });
    // Keyset order (received_at, id), newest first, like the mailbox list.
    await tx.execute(sql`
      delete from ${capturedEmails}
      where ${capturedEmails.id} in (
        select ${capturedEmails.id} from ${capturedEmails}
        order by ${capturedEmails.receivedAt} desc, ${capturedEmails.id} desc
        offset ${keep}
      )`);
  });
}
