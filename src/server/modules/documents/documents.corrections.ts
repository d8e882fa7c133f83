import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { correctionReason } from '../../platform/http/corrections';
import { conflict, forbidden } from '../../platform/http/problem';
import { inTransaction, type RequestFacts, type SignedInActor } from '../identity/actor';
import { documentNotFound } from './documents.commands';
import type { DocumentView } from './documents.contracts';
import { documentFactsOf, findDocument } from './documents.facts';
import { can } from './documents.policy';
import { presentDocument } from './documents.presenters';
import { documents } from './documents.schema';

/**
 * Its uploader says a document in the record was added in error (the wrong file, the wrong
 * patient): from then on nobody opens or downloads it, and everyone who sees the record sees
 * only that a document was removed, when and by whom. The bytes stay, out of reach, for
 * investigation; the reason goes to the audit trail only (C4). Marking it again changes
 * nothing. Invisible → 404; anyone but its uploader, or an uploader who may no longer add
 * documents there → 403; then, for its uploader only, a draft (withdraw it instead), or one
 * still being checked → 409. Who may act is decided before where the document stands, so a
 * refusal tells nobody else anything about it.
 */
export async function markEnteredInError(
  deps: AppDeps,
  actor: SignedInActor,
  documentId: string,
  input: { reason: string },
  request: RequestFacts,
): Promise<DocumentView> {
  const reason = correctionReason(
    input.reason,
    'document.reason_required',
    'Say why it was added in error',
  );
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const row = await findDocument(tx, documentId, true);
    if (!row) throw documentNotFound();
    const facts = await documentFactsOf(tx, row, audit.now);
    if (!can(actor, 'document.read', facts)) throw documentNotFound();
    // Whether they could mark it were it in the record and checked: who they are, not where it
    // stands. A patient must not learn from a 409 that the nurse's letter is still being checked.
    if (!can(actor, 'document.markEnteredInError', { ...facts, draft: false, status: 'available' }))
      throw markForbidden();
    // Only its uploader gets here.
    if (row.draft) {
      throw conflict(
        'document.is_draft',
        'This file has not been sent: remove it from the message instead.',
      );
    }
    // An upload cancelled before it finished never entered the record.
    if (row.status === 'withdrawn') {
      throw conflict(
        'document.not_in_record',
        'This upload was cancelled: it is not in the record.',
      );
    }
    if (row.status === 'uploading' || row.status === 'checking') {
      throw conflict('document.still_checking', 'Wait until the document’s checks have finished.');
    }
    // The policy in full, status included, in case it ever refuses more than the above.
    if (!can(actor, 'document.markEnteredInError', facts)) throw markForbidden();
    if (row.status === 'entered_in_error') return presentDocument(row, actor.userId);
    const [marked] = await tx
      .update(documents)
      .set({
        status: 'entered_in_error',
        enteredInErrorAt: audit.now,
        enteredInErrorBy: row.uploaderLabel,
      })
      .where(eq(documents.id, documentId))
      .returning();
    await recordAudit(tx, audit, {
      action: 'document.entered_in_error',
      entityType: 'document',
      entityId: documentId,
      patientId: row.patientId,
      // Its own key: `reason` is read as a break-glass reason by the patient's access log.
      details: { enteredInErrorReason: reason, statusBefore: row.status },
    });
    return presentDocument(marked ?? row, actor.userId);
  });
}

const markForbidden = () =>
  forbidden(
    'document.entered_in_error_forbidden',
    'Only the person who added a document can say it was added in error.',
  );
