import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database';
import { encodeCursor, isTimestamp, readCursor } from '../../platform/http/cursor';
import { type CapturedEmail, capturedEmails } from '../../platform/mail/capture.schema';
import type { CapturedEmailView } from './mailbox.contracts';

export interface CapturedEmailPage {
  items: CapturedEmailView[];
  nextCursor: string | null;
}

/** The demo capture's emails, newest first, in keyset pages. */
export async function listCapturedEmails(
  db: Database,
  options: { to?: string; cursor?: string; limit: number },
): Promise<CapturedEmailPage> {
  const conditions: SQL[] = [];
  if (options.to !== undefined) {
    conditions.push(sql`lower(${capturedEmails.toAddress}) = ${options.to.trim().toLowerCase()}`);
  }
  const after = readCursor(options.cursor, 2, ([at]) => isTimestamp(at));
  if (after) {
    const [receivedAt = '', id = ''] = after;
    const at = new Date(receivedAt);
    conditions.push(
      or(
        lt(capturedEmails.receivedAt, at),
        and(eq(capturedEmails.receivedAt, at), lt(capturedEmails.id, id)),
      ) as SQL,
    );
  }
  const rows = await db
    .select()
    .from(capturedEmails)
    .where(and(...conditions))
    .orderBy(desc(capturedEmails.receivedAt), desc(capturedEmails.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor([last.receivedAt.toISOString(), last.id])
        : null,
  };
}

function present(row: CapturedEmail): CapturedEmailView {
  return {
    id: row.id,
    messageId: row.messageId,
    from: row.fromAddress,
    to: row.toAddress,
    subject: row.subject,
    text: row.text,
    html: row.html,
    receivedAt: row.receivedAt.toISOString(),
  };
}
