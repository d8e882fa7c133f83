import type { Actor } from '../identity/actor';
import { mustVerifyIdentity } from '../identity/verification';

export const CONVERSATION_ACTIONS = [
  'conversation.read',
  'conversation.reply',
  'conversation.join',
  'conversation.leave',
  'conversation.addParticipant',
  'conversation.markRead',
] as const;
export type ConversationAction = (typeof CONVERSATION_ACTIONS)[number];

export const TEAM_WORK_ACTIONS = ['work.assignToMe', 'work.unassign', 'work.archive'] as const;
export type TeamWorkAction = (typeof TEAM_WORK_ACTIONS)[number];

/** What the policy needs to know about one conversation. */
export interface ConversationFacts {
  patientId: string;
  /** Teams and professionals taking part now. */
  activeTeamIds: readonly string[];
  activeProfessionalIds: readonly string[];
  /** Teams and professionals that took part and left (they keep what they saw, M3). */
  formerTeamIds: readonly string[];
  formerProfessionalIds: readonly string[];
  /** Teams with record access to the patient (C2, C3). */
  careTeamIds: readonly string[];
}

/** One participating team's work on the conversation. */
export interface TeamWorkFacts {
  teamId: string;
  assigneeProfessionalId: string | null;
  archived: boolean;
}

/**
 * How the actor stands to a conversation: its patient, a participant (individually or
 * through a team), a former participant, a professional with record access, or nobody.
 */
export type Relation = 'patient' | 'participant' | 'former' | 'recordAccess' | 'none';

export function relationOf(actor: Actor, facts: ConversationFacts): Relation {
  if (actor.kind === 'patient') return actor.patientId === facts.patientId ? 'patient' : 'none';
  if (actor.kind !== 'professional') return 'none';
  const teamIds = actor.memberships.map((m) => m.teamId);
  const inAny = (ids: readonly string[]) => teamIds.some((id) => ids.includes(id));
  if (facts.activeProfessionalIds.includes(actor.professionalId) || inAny(facts.activeTeamIds)) {
    return 'participant';
  }
  if (inAny(facts.careTeamIds)) return 'recordAccess';
  if (facts.formerProfessionalIds.includes(actor.professionalId) || inAny(facts.formerTeamIds)) {
    return 'former';
  }
  return 'none';
}

export function can(actor: Actor, action: ConversationAction, facts: ConversationFacts): boolean {
  if (mustVerifyIdentity(actor)) return false;
  const relation = relationOf(actor, facts);
  switch (action) {
    case 'conversation.read':
    case 'conversation.markRead':
      return relation !== 'none';
    case 'conversation.reply':
      return relation === 'patient' || relation === 'participant';
    case 'conversation.join':
      return relation === 'recordAccess' || relation === 'former';
    case 'conversation.leave':
    case 'conversation.addParticipant':
      return relation === 'participant';
  }
}

/**
 * Team workflow (W1, W4): only members of a participating team act on its work; a member
 * assigns only themselves; the assignee or a manager may unassign.
 */
export function canWork(actor: Actor, action: TeamWorkAction, work: TeamWorkFacts): boolean {
  if (actor.kind !== 'professional') return false;
  const membership = actor.memberships.find((m) => m.teamId === work.teamId);
  if (!membership) return false;
  switch (action) {
    case 'work.assignToMe':
      return !work.archived && work.assigneeProfessionalId !== actor.professionalId;
    case 'work.unassign':
      return (
        work.assigneeProfessionalId !== null &&
        (work.assigneeProfessionalId === actor.professionalId || membership.role === 'manager')
      );
    case 'work.archive':
      return !work.archived;
  }
}
