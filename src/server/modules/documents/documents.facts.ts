import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { timeLimitedAccess } from '../consent/consent.record-access';
import { carerConsents } from '../consent/consent.schema';
import { loadConversation } from '../conversations/conversations.facts';
import type { ConversationFacts } from '../conversations/conversations.policy';
import { careRelationships, patients } from '../patients/patients.schema';
import type { DocumentFacts } from './documents.policy';
import { documents } from './documents.schema';

type Reader = Database | Tx;
export type DocumentRow = typeof documents.$inferSelect;

/**
 * The patient's record in the conversation policy's terms, with no participants: care teams,
 * and the consents, grants and break-glass in force at `at` (C1, C2). Null: no such patient.
 */
export async function loadRecordFacts(
  db: Reader,
  patientId: string,
  at: Date,
): Promise<ConversationFacts | null> {
  const [patient] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.id, patientId));
  if (!patient) return null;
  const care = await db
    .select({ teamId: careRelationships.teamId })
    .from(careRelationships)
    .where(eq(careRelationships.patientId, patientId));
  const consents = await db
    .select({
      carerUserId: carerConsents.carerUserId,
      level: carerConsents.level,
      startsAt: carerConsents.startsAt,
      endsAt: carerConsents.endsAt,
      revokedAt: carerConsents.revokedAt,
    })
    .from(carerConsents)
    .where(
      and(
        eq(carerConsents.patientId, patientId),
        isNull(carerConsents.revokedAt),
        lte(carerConsents.startsAt, at),
        or(isNull(carerConsents.endsAt), gt(carerConsents.endsAt, at)),
      ),
    );
  const { grants, breakGlass } = await timeLimitedAccess(db, patientId, at);
  return {
    patientId,
    activeTeamIds: [],
    activeProfessionalIds: [],
    formerTeamIds: [],
    formerProfessionalIds: [],
    careTeamIds: care.map((c) => c.teamId),
    at,
    carerConsents: consents,
    recordGrants: grants.map((g) => ({
      teamId: g.teamId,
      startsAt: at,
      expiresAt: g.expiresAt,
      revokedAt: null,
    })),
    breakGlass,
    privateFromCarers: false,
  };
}

/** The facts about one stored document, judged at `at`. */
export async function documentFactsOf(
  db: Reader,
  document: Pick<
    DocumentRow,
    'patientId' | 'conversationId' | 'uploadedByUserId' | 'draft' | 'status'
  >,
  at: Date,
): Promise<DocumentFacts> {
  const record = await loadRecordFacts(db, document.patientId, at);
  if (!record) throw new Error('document without a patient');
  const conversation =
    document.conversationId === null
      ? undefined
      : (await loadConversation(db, document.conversationId, false, at)).facts;
  return {
    record,
    conversation,
    uploadedByUserId: document.uploadedByUserId,
    draft: document.draft,
    status: document.status,
  };
}

/** One document row, locked when it is about to change; null when there is none. */
export async function findDocument(
  db: Reader,
  documentId: string,
  lock = false,
): Promise<DocumentRow | null> {
  const query = db.select().from(documents).where(eq(documents.id, documentId));
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}
