import type { Actor } from '../identity/actor';

/**
 * Who may do what with a patient's carer invitations (C1, C2). Staff act only for a patient
 * who gave consent on paper, and only with record access to that patient; the patient's
 * own online invitations are theirs alone. Staff with record access also see the carers
 * whose consent is in force and the paper invitations still waiting (`carerConsent.list`),
 * so that they can record the patient's request to end one, or cancel one.
 */
export const INVITATION_ACTIONS = [
  'carerInvitation.recordPaper',
  'carerInvitation.cancel',
  'carerConsent.list',
] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

export interface InvitationFacts {
  /** Whose record the invitation is (or would be) in. */
  patientId: string;
  /** The invitation was recorded by staff from a witnessed paper form (absent: none yet). */
  paper?: boolean;
  /** The acting professional's own record access to the patient now (`recordAccessOf`, C2). */
  recordAccess: boolean;
}

export function canOnInvitation(
  actor: Actor,
  action: InvitationAction,
  facts: InvitationFacts,
): boolean {
  if (actor.kind === 'anonymous') return false;
  if (actor.kind === 'patient') {
    return action === 'carerInvitation.cancel' && actor.patientId === facts.patientId;
  }
  if (!facts.recordAccess) return false;
  switch (action) {
    case 'carerInvitation.recordPaper':
    case 'carerConsent.list':
      return true;
    case 'carerInvitation.cancel':
      return facts.paper === true;
  }
}
