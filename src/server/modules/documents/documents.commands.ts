import { eq } from 'drizzle-orm';
import { recordAudit, systemAudit } from '../../platform/audit/audit';
import { type Database, type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden, notFound } from '../../platform/http/problem';
import {
  inTransaction,
  type Membership,
  type RequestFacts,
  type SignedInActor,
} from '../identity/actor';
import { loadConversation } from '../conversations/conversations.facts';
import { withCurrentMemberships } from '../identity/identity.queries';
import {
  documentFactsOf,
  type DocumentRow,
  findDocument,
  loadRecordFacts,
} from './documents.facts';
import type { InspectionOutcome } from './documents.inspection';
import { can, type DocumentFacts } from './documents.policy';
import { refuseOverQuota } from './documents.quota';
import { documents } from './documents.schema';

export interface NewUpload {
  documentId: string;
  patientId: string;
  fileName: string;
  title: string;
  conversationId: string | null;
  teamId: string | null;
  declaredSizeBytes: number;
  /** Chosen for a message not sent yet (`purpose` message), rather than added to the record. */
  draft: boolean;
}

export const invalidMetadata = (detail: string) =>
  new AppError(400, 'document.invalid_metadata', 'Invalid upload', detail);
export const documentNotFound = () => notFound('document.not_found', 'Document not found');
const patientNotFound = () => notFound('patient.not_found', 'Patient not found');

/**
 * Starts an upload (tus creation, from its onUploadCreate): the policy and the person's upload
 * quota decide, then the document is recorded as `uploading` under the id that is also the
 * upload's id, and audited — one transaction.
 */
export async function createDocument(
  deps: AppDeps,
  actor: SignedInActor,
  input: NewUpload,
  request: RequestFacts,
): Promise<void> {
  await inTransaction(deps, actor, request, async (tx, audit) => {
    const team = await authoriseUpload(tx, actor, input, audit.now);
    await refuseOverQuota(
      tx,
      actor.userId,
      input.declaredSizeBytes,
      deps.config.documents.quota,
      true,
    );
    await tx.insert(documents).values({
      id: input.documentId,
      patientId: input.patientId,
      uploadId: input.documentId,
      conversationId: input.conversationId,
      uploadedByUserId: actor.userId,
      uploadedByProfessionalId: actor.kind === 'professional' ? actor.professionalId : null,
      uploadedForTeamId: team?.teamId ?? null,
      uploaderLabel: uploaderLabel(actor, input.patientId, team?.teamName),
      title: input.title,
      fileName: input.fileName,
      declaredSizeBytes: input.declaredSizeBytes,
      status: 'uploading',
      draft: input.draft,
      createdAt: audit.now,
    });
    await recordAudit(tx, audit, {
      action: 'document.upload_created',
      entityType: 'document',
      entityId: input.documentId,
      patientId: input.patientId,
      details: {
        declaredSizeBytes: input.declaredSizeBytes,
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(team ? { teamId: team.teamId } : {}),
        ...draftDetail(input),
      },
    });
  });
}

/**
 * Audit details say when a document is not in the record — a draft, or an upload its uploader
 * cancelled before it finished (`withdrawn`, only they can still open it) — so the patient's
 * log leaves what is done with it out.
 */
export const draftDetail = (document: { draft: boolean; status?: string }) =>
  document.draft || document.status === 'withdrawn' ? { draft: true } : {};

/**
 * Whether the actor may upload into this record (and conversation), and for which of their
 * teams (the one named, or the one taking part in the conversation): invisible → 404,
 * visible but not allowed → 403, a team not theirs → 400.
 */
export async function authoriseUpload(
  db: Database | Tx,
  actor: SignedInActor,
  input: Pick<NewUpload, 'patientId' | 'conversationId' | 'teamId'>,
  at: Date,
): Promise<Membership | null> {
  const record = await loadRecordFacts(db, input.patientId, at);
  if (!record) throw patientNotFound();
  const facts: DocumentFacts = { record };
  if (input.conversationId !== null) {
    const loaded = await loadConversation(db, input.conversationId, false, at);
    if (loaded.conversation.patientId !== input.patientId) {
      throw invalidMetadata('The conversation is not in this patient’s record.');
    }
    facts.conversation = loaded.facts;
  }
  if (!can(actor, 'document.upload', facts)) {
    if (!can(actor, 'document.read', facts)) {
      throw input.conversationId === null
        ? patientNotFound()
        : notFound('conversation.not_found', 'Conversation not found');
    }
    throw forbidden('document.upload_forbidden', 'You cannot add documents here.');
  }
  if (input.teamId === null) {
    // Into a conversation: for the team of theirs that takes part, as their reply will be.
    const taking = facts.conversation?.activeTeamIds ?? [];
    return actor.kind === 'professional'
      ? (actor.memberships.find((m) => taking.includes(m.teamId)) ?? null)
      : null;
  }
  const team =
    actor.kind === 'professional'
      ? actor.memberships.find((m) => m.teamId === input.teamId)
      : undefined;
  if (!team) throw invalidMetadata('You can upload only for a team you belong to.');
  return team;
}

function uploaderLabel(actor: SignedInActor, patientId: string, teamName?: string): string {
  if (actor.kind === 'patient') {
    return actor.patientId === patientId ? actor.name : `${actor.name} (carer)`;
  }
  const team = teamName ?? actor.memberships[0]?.teamName;
  return team ? `${actor.name}, ${team}` : actor.name;
}

/**
 * Whether the actor may send the next bytes of (or ask the offset of) an upload: only its
 * uploader, while they may still upload there. Invisible → 404, visible → 403.
 */
export async function authoriseUploadContinuation(
  deps: AppDeps,
  actor: SignedInActor,
  documentId: string,
  method: string,
): Promise<void> {
  const row = await findDocument(deps.db, documentId);
  if (!row) throw documentNotFound();
  refuseUnlessContinuing(actor, row, await documentFactsOf(deps.db, row, deps.clock()));
  if (method === 'PATCH' && row.status !== 'uploading') {
    throw conflict('document.upload_finished', 'This upload has already finished.');
  }
}

/** document.continueUpload, refused as 404 to whoever may not see the document, else 403. */
function refuseUnlessContinuing(
  actor: SignedInActor,
  row: DocumentRow,
  facts: DocumentFacts,
): void {
  if (!can(actor, 'document.read', facts) && row.uploadedByUserId !== actor.userId) {
    throw documentNotFound();
  }
  if (!can(actor, 'document.continueUpload', facts)) {
    throw forbidden(
      'document.upload_forbidden',
      'Only the person who started an upload continues it.',
    );
  }
}

/**
 * The last byte arrived: the document waits for its checks. The bytes of a large file take
 * long to arrive, so whether the uploader may still upload there is decided again now, with
 * their teams as they are now; refused, this changes nothing, and the upload route gives the
 * upload up (`giveUpUpload`).
 */
export async function markUploaded(
  deps: AppDeps,
  actor: SignedInActor,
  documentId: string,
  request: RequestFacts,
): Promise<boolean> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    const row = await findDocument(tx, documentId, true);
    if (!row || row.status !== 'uploading') return false;
    const facts = await documentFactsOf(tx, row, audit.now);
    refuseUnlessContinuing(await withCurrentMemberships(tx, actor), row, facts);
    await tx.update(documents).set({ status: 'checking' }).where(eq(documents.id, documentId));
    await recordAudit(tx, audit, {
      action: 'document.upload_completed',
      entityType: 'document',
      entityId: documentId,
      patientId: row.patientId,
      details: draftDetail(row),
    });
    return true;
  });
}

const SYSTEM_LABEL = 'Carethread (document checks)';

/**
 * Records the checks' outcome of a document still `checking`: available (with where its bytes
 * are), rejected (no bytes kept) or quarantined (kept apart). A draft withdrawn while it was
 * checked is quarantined all the same, since a flagged file is kept for investigation; any
 * other outcome leaves it withdrawn (false). Audited as the system.
 */
export async function settleDocument(
  deps: AppDeps,
  documentId: string,
  outcome: InspectionOutcome,
  storageKey: string | null,
): Promise<boolean> {
  return withTransaction(deps.db, async (tx) => {
    const row = await findDocument(tx, documentId, true);
    const settles =
      row?.status === 'checking' ||
      (row?.status === 'withdrawn' && outcome.status === 'quarantined');
    if (!row || !settles) return false;
    const now = deps.clock();
    const available = outcome.status === 'available';
    await tx
      .update(documents)
      .set({
        status: outcome.status,
        sizeBytes: outcome.sizeBytes,
        sha256: outcome.sha256,
        kind: available ? outcome.kind : null,
        mediaType: available ? outcome.mediaType : null,
        studySummary: available ? outcome.studySummary : null,
        rejectionCode: available ? null : outcome.code,
        storageKey,
        checkedAt: now,
      })
      .where(eq(documents.id, documentId));
    await recordAudit(tx, systemAudit(SYSTEM_LABEL, now), {
      action: available
        ? 'document.accepted'
        : outcome.status === 'quarantined'
          ? 'document.quarantined'
          : 'document.rejected',
      entityType: 'document',
      entityId: documentId,
      patientId: row.patientId,
      details: {
        sha256: outcome.sha256,
        sizeBytes: outcome.sizeBytes,
        ...(available ? { kind: outcome.kind } : { code: outcome.code }),
        ...(outcome.status === 'quarantined' ? { signature: outcome.signature } : {}),
      },
    });
    return true;
  });
}
