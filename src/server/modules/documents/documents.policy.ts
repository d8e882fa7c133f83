import type { Actor } from '../identity/actor';
import type { DocumentStatus } from './documents.schema';
import { mustVerifyIdentity } from '../identity/verification';
import {
  accessBasis,
  activeCarerConsent,
  can as canInConversation,
  type ConversationFacts,
} from '../conversations/conversations.policy';

export const DOCUMENT_ACTIONS = [
  'document.upload',
  'document.read',
  'document.continueUpload',
  'document.withdraw',
  'document.markEnteredInError',
] as const;
export type DocumentAction = (typeof DOCUMENT_ACTIONS)[number];

/** What the policy needs to know about a document, or about one about to be uploaded. */
export interface DocumentFacts {
  /**
   * The patient's record as a whole, in the conversation policy's terms with no participants:
   * the patient, carers' consents, care teams, grants and break-glass at the request's time.
   */
  record: ConversationFacts;
  /** The conversation the document belongs to (or will be attached in), when there is one. */
  conversation?: ConversationFacts;
  /** Who uploaded it; absent for document.upload. */
  uploadedByUserId?: string;
  /** Chosen for a message not sent yet: its uploader's alone until a message carries it. */
  draft?: boolean;
  /** Where it stands; absent for document.upload. */
  status?: DocumentStatus;
}

const RECORD_ACCESS = new Set(['care_relationship', 'record_grant', 'break_glass']);
/** Statuses of a document that is not (or not yet) part of the record: nothing to correct. */
const NOT_YET_IN_RECORD: ReadonlySet<DocumentStatus | undefined> = new Set<DocumentStatus>([
  'uploading',
  'checking',
  'withdrawn',
]);

/**
 * Documents follow the record (C1–C3): the patient, carers with active consent (not in a
 * conversation private from carers) and professionals with record access see them; those
 * taking part in a document's conversation see it too. Uploading needs the right to write
 * there: the patient, a carer with message consent, staff with record access, or — for a
 * document going into a conversation — the right to reply in it. Only the uploader
 * continues an upload (C5: only P9 patients touch record content). A draft is not in the
 * record yet: only its uploader reads it (while they may still read there), and only they
 * withdraw it, while they may still upload there. So too an upload into the record that never
 * finished: nobody could open it, so its uploader may cancel it, and once cancelled (`withdrawn`)
 * it is theirs alone again, as a draft is. A document in the record is marked as added
 * in error by its uploader only, while they may still add to the record or reply where it was
 * sent.
 */
export function can(actor: Actor, action: DocumentAction, facts: DocumentFacts): boolean {
  if (actor.kind === 'anonymous' || mustVerifyIdentity(actor)) return false;
  const basis = accessBasis(actor, facts.record);
  const uploader = facts.uploadedByUserId === actor.userId;
  switch (action) {
    case 'document.read':
      if ((facts.draft || facts.status === 'withdrawn') && !uploader) return false;
      if (basis === 'patient' || (basis !== null && RECORD_ACCESS.has(basis))) return true;
      if (facts.conversation)
        return canInConversation(actor, 'conversation.read', facts.conversation);
      return basis === 'carer_consent';
    case 'document.upload':
      if (facts.conversation) {
        return canInConversation(actor, 'conversation.reply', facts.conversation);
      }
      if (basis === 'patient' || (basis !== null && RECORD_ACCESS.has(basis))) return true;
      return (
        basis === 'carer_consent' && activeCarerConsent(actor, facts.record)?.level === 'message'
      );
    case 'document.continueUpload':
      return uploader && can(actor, 'document.upload', { ...facts, uploadedByUserId: undefined });
    case 'document.withdraw':
      return (
        (facts.draft === true || facts.status === 'uploading' || facts.status === 'withdrawn') &&
        can(actor, 'document.continueUpload', facts)
      );
    case 'document.markEnteredInError':
      // Its uploader, while they may still add to the record or reply where it was sent; only
      // once it is in the record (not a draft, not cancelled) and its checks have finished.
      return (
        uploader &&
        facts.draft !== true &&
        !NOT_YET_IN_RECORD.has(facts.status) &&
        (can(actor, 'document.upload', { record: facts.record }) ||
          (facts.conversation !== undefined &&
            canInConversation(actor, 'conversation.reply', facts.conversation)))
      );
  }
}
