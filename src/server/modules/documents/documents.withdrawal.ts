import path from 'node:path';
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { type AuditContext, recordAudit, systemAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden } from '../../platform/http/problem';
import { inTransaction, type RequestFacts, type SignedInActor } from '../identity/actor';
import { type DocumentServices, removeStaged, storageKeyOf } from './documents.checker';
import { documentNotFound, draftDetail } from './documents.commands';
import type { WithdrawalCode } from './documents.contracts';
import { documentFactsOf, type DocumentRow, findDocument } from './documents.facts';
import { can } from './documents.policy';
import { documents } from './documents.schema';

/** A draft no message has carried for this long is withdrawn by the system. */
export const DRAFT_EXPIRES_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

type Services = Pick<DocumentServices, 'storage' | 'stagingDir'>;
type Withdrawable = Pick<
  DocumentRow,
  'id' | 'patientId' | 'uploadId' | 'status' | 'storageKey' | 'draft'
>;
/** Drafts the expiry sweep withdraws: rejected ones have no bytes and keep their reason. */
const EXPIRING: DocumentRow['status'][] = ['checking', 'available'];

const notWithdrawable = (detail: string) => conflict('document.not_withdrawable', detail);

/**
 * The uploader takes back a file they chose for a message they have not sent, or cancels an
 * upload into the record that has not finished: it becomes `withdrawn` (audited as
 * `document.withdrawn` or `document.upload_cancelled`) and its bytes are removed, staged or
 * stored. Nobody else ever opened it, and from then on nobody else sees it. Withdrawing again
 * changes nothing. Invisible → 404; in the record (a sent draft, a finished upload) → 409; held
 * back by the scanner → 409 (kept for investigation); no longer allowed to write there → 403.
 */
export async function withdrawDocument(
  deps: AppDeps,
  services: Services,
  actor: SignedInActor,
  documentId: string,
  request: RequestFacts,
): Promise<void> {
  const withdrawn = await inTransaction(deps, actor, request, async (tx, audit) => {
    const row = await findDocument(tx, documentId, true);
    if (!row) throw documentNotFound();
    const facts = await documentFactsOf(tx, row, audit.now);
    if (!can(actor, 'document.read', facts)) throw documentNotFound();
    const unfinished = row.status === 'uploading' || row.status === 'withdrawn';
    if (!row.draft && !unfinished) throw notWithdrawable('It is part of the record.');
    if (!can(actor, 'document.withdraw', facts)) {
      throw forbidden('document.withdraw_forbidden', 'You can no longer remove this file.');
    }
    if (row.status === 'withdrawn') return null;
    if (row.status === 'quarantined') {
      throw notWithdrawable('A file held back by the security check is kept for investigation.');
    }
    await markWithdrawn(
      tx,
      row,
      audit,
      row.draft ? 'document.withdrawn' : 'document.upload_cancelled',
    );
    return row;
  });
  if (withdrawn) await removeBytes(deps, services, withdrawn);
}

/**
 * Withdraws drafts older than `expiresAfterMs` that no message carried, as the system
 * (`document.draft_expired`), and removes their bytes. Drafts still uploading are left to the
 * abandoned-upload sweep; rejected ones have no bytes left and keep their reason; held-back
 * ones stay for investigation. Also finishes removing the bytes of any withdrawn document a
 * stop interrupted. Returns how many drafts it withdrew.
 */
export async function expireDrafts(
  deps: AppDeps,
  services: Services,
  expiresAfterMs = DRAFT_EXPIRES_AFTER_MS,
): Promise<number> {
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - expiresAfterMs);
  const candidates = await deps.db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        eq(documents.draft, true),
        lt(documents.createdAt, cutoff),
        inArray(documents.status, EXPIRING),
      ),
    );
  let expired = 0;
  for (const { id } of candidates) {
    const row = await withTransaction(deps.db, async (tx) => {
      const locked = await findDocument(tx, id, true);
      if (!locked?.draft || !EXPIRING.includes(locked.status)) return null;
      await markWithdrawn(
        tx,
        locked,
        systemAudit('Carethread (unsent files)', now),
        'document.draft_expired',
      );
      return locked;
    });
    if (!row) continue;
    await removeBytes(deps, services, row);
    expired += 1;
  }
  const leftovers = await deps.db
    .select()
    .from(documents)
    .where(and(eq(documents.status, 'withdrawn'), isNotNull(documents.storageKey)));
  for (const row of leftovers) await removeBytes(deps, services, row);
  return expired;
}

/**
 * The status change and its audit event. The storage key names where its bytes are or may
 * yet be (a check under way stores them there), and stays until they are gone: a stop before
 * then leaves the next sweep to finish.
 */
async function markWithdrawn(
  tx: Tx,
  row: Withdrawable,
  audit: AuditContext,
  action: WithdrawalCode,
): Promise<void> {
  await tx
    .update(documents)
    .set({
      status: 'withdrawn',
      rejectionCode: action,
      checkedAt: audit.now,
      storageKey: row.storageKey ?? storageKeyOf(row.id, false),
    })
    .where(eq(documents.id, row.id));
  await recordAudit(tx, audit, {
    action,
    entityType: 'document',
    entityId: row.id,
    patientId: row.patientId,
    details: { ...draftDetail(row), statusBefore: row.status },
  });
}

/**
 * Staged and stored bytes of a document still withdrawn, then its storage key. (A check that
 * ends in quarantine keeps the file for investigation, withdrawn or not: see settleDocument.)
 */
async function removeBytes(
  deps: AppDeps,
  services: Services,
  row: Pick<DocumentRow, 'id' | 'uploadId'>,
): Promise<void> {
  await removeStaged(path.join(services.stagingDir, row.uploadId));
  const [current] = await deps.db
    .select({ storageKey: documents.storageKey })
    .from(documents)
    .where(and(eq(documents.id, row.id), eq(documents.status, 'withdrawn')));
  if (current?.storageKey) await services.storage.remove(current.storageKey);
  await deps.db
    .update(documents)
    .set({ storageKey: null })
    .where(and(eq(documents.id, row.id), eq(documents.status, 'withdrawn')));
}
