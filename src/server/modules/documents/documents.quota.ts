import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import { users } from '../identity/identity.schema';
import type { UploadQuota } from './documents.config';
import { documents } from './documents.schema';

/**
 * Refuses (429 `document.quota_exceeded`) a new upload that would take the person past their
 * quota of outstanding uploads: those not finished, and files chosen for a message not sent
 * yet that are being checked or ready. Inside a transaction it first locks the person's user
 * row, so two uploads started at once are counted one after the other (NO KEY UPDATE: rows that
 * only refer to the user, such as their messages, need not wait for it).
 */
export async function refuseOverQuota(
  db: Database | Tx,
  userId: string,
  declaredSizeBytes: number,
  quota: UploadQuota,
  lock = false,
): Promise<void> {
  if (lock) {
    await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
  }
  const [outstanding] = await db
    .select({
      uploads: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${documents.declaredSizeBytes}), 0)::float8`,
    })
    .from(documents)
    .where(
      and(
        eq(documents.uploadedByUserId, userId),
        or(
          eq(documents.status, 'uploading'),
          and(eq(documents.draft, true), inArray(documents.status, ['checking', 'available'])),
        ),
      ),
    );
  const uploads = outstanding?.uploads ?? 0;
  const bytes = Number(outstanding?.bytes ?? 0);
  if (uploads < quota.maxUploads && bytes + declaredSizeBytes <= quota.maxBytes) return;
  throw new AppError(
    429,
    'document.quota_exceeded',
    'Too many unfinished uploads',
    `You can have at most ${quota.maxUploads} uploads, of ${quota.maxBytes} bytes in all, ` +
      'that are unfinished or not yet sent with a message. Finish or discard (Remove) earlier ' +
      'uploads, then try again.',
  );
}
