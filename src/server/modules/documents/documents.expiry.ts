import { stat } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, lt } from 'drizzle-orm';
import { recordAudit, systemAudit } from '../../platform/audit/audit';
import { withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { removeStaged } from './documents.checker';
import { documents } from './documents.schema';

/** An upload nobody has added a byte to for this long is given up. */
export const ABANDONED_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/** How often each instance looks for abandoned uploads. */
export const EXPIRY_SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Gives up uploads left half-way: a document still `uploading` whose staged bytes have not
 * grown for `ABANDONED_AFTER_MS` becomes `rejected` (`document.upload_expired`, audited as
 * the system) and its staged bytes are removed, so abandoned uploads neither fill the disk
 * nor linger in the record as "Still uploading". The client's next PATCH, if it ever comes,
 * is refused as a finished upload. Returns how many were given up.
 */
export async function expireAbandonedUploads(
  deps: AppDeps,
  stagingDir: string,
  abandonedAfterMs = ABANDONED_AFTER_MS,
): Promise<number> {
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - abandonedAfterMs);
  const candidates = await deps.db
    .select({ id: documents.id, uploadId: documents.uploadId })
    .from(documents)
    .where(and(eq(documents.status, 'uploading'), lt(documents.createdAt, cutoff)));
  let expired = 0;
  for (const candidate of candidates) {
    const staged = path.join(stagingDir, candidate.uploadId);
    const lastWrite = await stat(staged).then(
      (s) => s.mtime,
      () => null,
    );
    if (lastWrite && lastWrite.getTime() > cutoff.getTime()) continue; // still being added to
    const given = await giveUpUpload(deps, stagingDir, candidate.id, {
      code: 'document.upload_expired',
      by: 'Carethread (abandoned uploads)',
    });
    if (given) expired += 1;
  }
  return expired;
}

/**
 * Gives one unfinished upload up: `rejected` with the code saying why (which is also the
 * audit action, recorded as the system), and its staged bytes removed. False when it was no
 * longer uploading.
 */
export async function giveUpUpload(
  deps: AppDeps,
  stagingDir: string,
  documentId: string,
  reason: { code: 'document.upload_expired' | 'document.upload_refused'; by: string },
): Promise<boolean> {
  const now = deps.clock();
  const uploadId = await withTransaction(deps.db, async (tx) => {
    const [row] = await tx
      .update(documents)
      .set({ status: 'rejected', rejectionCode: reason.code, checkedAt: now })
      .where(and(eq(documents.id, documentId), eq(documents.status, 'uploading')))
      .returning({ patientId: documents.patientId, uploadId: documents.uploadId });
    if (!row) return null;
    await recordAudit(tx, systemAudit(reason.by, now), {
      action: reason.code,
      entityType: 'document',
      entityId: documentId,
      patientId: row.patientId,
    });
    return row.uploadId;
  });
  if (uploadId === null) return false;
  await removeStaged(path.join(stagingDir, uploadId));
  return true;
}
