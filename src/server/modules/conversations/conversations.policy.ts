import type { Actor } from '../identity/actor';
import { mustVerifyIdentity } from '../identity/verification';

export const CONVERSATION_ACTIONS = [
  'conversation.read',
  'conversation.reply',
  'conversation.join',
  'conversation.leave',
  'conversation.addParticipant',
  'conversation.markRead',
  'conversation.setPrivacy',
  'conversation.copyInCarer',
  'conversation.removeAnyMessage',
] as const;
export type ConversationAction = (typeof CONVERSATION_ACTIONS)[number];

export const TEAM_WORK_ACTIONS = [
  'work.assignToMe',
  'work.unassign',
  'work.archive',
  'work.reopen',
] as const;
export type TeamWorkAction = (typeof TEAM_WORK_ACTIONS)[number];

/** A patient's consent to a carer as stored: active from its start until it ends or is revoked (C1). */
export interface CarerConsentFacts {
  carerUserId: string;
  level: 'view' | 'message';
  startsAt: Date;
  endsAt: Date | null;
  revokedAt: Date | null;
}

/** A patient's grant of record access to a team (C2). */
export interface RecordGrantFacts {
  teamId: string;
  startsAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A professional's break-glass access, while the session it was opened in lasts. */
export interface BreakGlassFacts {
  professionalId: string;
  expiresAt: Date;
}

/** What the policy needs to know about one conversation. */
export interface ConversationFacts {
  patientId: string;
  /** Teams and professionals taking part now. */
  activeTeamIds: readonly string[];
  activeProfessionalIds: readonly string[];
  /** Teams and professionals that took part and left (they keep what they saw, M3). */
  formerTeamIds: readonly string[];
  formerProfessionalIds: readonly string[];
  /** Teams with a care relationship to the patient (C2, C3). */
  careTeamIds: readonly string[];
  /**
   * The request's time: grants, consents and break-glass are judged against it, so revocation
   * and expiry take effect on the very next request (C1, C2). Absent: none of them count.
   */
  at?: Date;
  recordGrants?: readonly RecordGrantFacts[];
  carerConsents?: readonly CarerConsentFacts[];
  breakGlass?: readonly BreakGlassFacts[];
  /** The patient marked the conversation private from carers (C1). */
  privateFromCarers?: boolean;
}

/** One participating team's work on the conversation. */
export interface TeamWorkFacts {
  teamId: string;
  assigneeProfessionalId: string | null;
  archived: boolean;
}

/**
 * How the actor stands to a conversation: its patient, a participant (individually or
 * through a team), a carer with active consent, a former participant, a professional with
 * record access, or nobody.
 */
export type Relation = 'patient' | 'participant' | 'carer' | 'former' | 'recordAccess' | 'none';

/** Why someone may see the record: what "Who has seen my record" tells the patient. */
export type AccessBasis =
  | 'patient'
  | 'participant'
  | 'former_participant'
  | 'carer_consent'
  | 'care_relationship'
  | 'record_grant'
  | 'break_glass';

const activeAt = (
  at: Date | undefined,
  w: { startsAt: Date; endsAt: Date | null; revokedAt: Date | null },
) =>
  at !== undefined &&
  w.revokedAt === null &&
  w.startsAt.getTime() <= at.getTime() &&
  (w.endsAt === null || w.endsAt.getTime() > at.getTime());

/** The carer's consent as it stands at the facts' time, or null: revoked and expired ones are none. */
export function activeCarerConsent(
  actor: Actor,
  facts: ConversationFacts,
): CarerConsentFacts | null {
  if (actor.kind !== 'patient' || actor.patientId === facts.patientId) return null;
  return (
    (facts.carerConsents ?? []).find(
      (c) => c.carerUserId === actor.userId && activeAt(facts.at, c),
    ) ?? null
  );
}

/** Teams whose grant from the patient is in force at the facts' time (C2). */
export function grantedTeamIds(facts: ConversationFacts): string[] {
  return (facts.recordGrants ?? [])
    .filter((g) => activeAt(facts.at, { ...g, endsAt: g.expiresAt }))
    .map((g) => g.teamId);
}

function hasBreakGlass(actor: Actor, facts: ConversationFacts): boolean {
  if (actor.kind !== 'professional' || facts.at === undefined) return false;
  const at = facts.at.getTime();
  return (facts.breakGlass ?? []).some(
    (b) => b.professionalId === actor.professionalId && b.expiresAt.getTime() > at,
  );
}

/** The most direct reason the actor may see the conversation, or null when they may not. */
export function accessBasis(actor: Actor, facts: ConversationFacts): AccessBasis | null {
  if (actor.kind === 'anonymous') return null;
  if (actor.kind === 'patient') {
    if (actor.patientId === facts.patientId) return 'patient';
    return !facts.privateFromCarers && activeCarerConsent(actor, facts) ? 'carer_consent' : null;
  }
  const teamIds = actor.memberships.map((m) => m.teamId);
  const inAny = (ids: readonly string[]) => teamIds.some((id) => ids.includes(id));
  if (facts.activeProfessionalIds.includes(actor.professionalId) || inAny(facts.activeTeamIds)) {
    return 'participant';
  }
  if (inAny(facts.careTeamIds)) return 'care_relationship';
  if (inAny(grantedTeamIds(facts))) return 'record_grant';
  if (hasBreakGlass(actor, facts)) return 'break_glass';
  if (facts.formerProfessionalIds.includes(actor.professionalId) || inAny(facts.formerTeamIds)) {
    return 'former_participant';
  }
  return null;
}

export function relationOf(actor: Actor, facts: ConversationFacts): Relation {
  switch (accessBasis(actor, facts)) {
    case 'patient':
      return 'patient';
    case 'participant':
      return 'participant';
    case 'carer_consent':
      return 'carer';
    case 'care_relationship':
    case 'record_grant':
    case 'break_glass':
      return 'recordAccess';
    case 'former_participant':
      return 'former';
    case null:
      return 'none';
  }
}

export function can(actor: Actor, action: ConversationAction, facts: ConversationFacts): boolean {
  if (mustVerifyIdentity(actor)) return false;
  const relation = relationOf(actor, facts);
  switch (action) {
    case 'conversation.read':
    case 'conversation.markRead':
      return relation !== 'none';
    case 'conversation.reply':
      return (
        relation === 'patient' ||
        relation === 'participant' ||
        (relation === 'carer' && activeCarerConsent(actor, facts)?.level === 'message')
      );
    case 'conversation.join':
      return relation === 'recordAccess' || relation === 'former';
    case 'conversation.leave':
    case 'conversation.addParticipant':
      return relation === 'participant';
    case 'conversation.setPrivacy':
      return relation === 'patient';
    case 'conversation.copyInCarer':
      // M1: the patient copies in their carers; M2: staff taking part may too.
      return (relation === 'patient' || relation === 'participant') && !facts.privateFromCarers;
    case 'conversation.removeAnyMessage':
      // Decision 0021: a manager of a team taking part removes what was sent in error when
      // its author cannot (they left, or a patient sent someone else's information).
      return managedTeamsTakingPart(actor, facts).length > 0;
  }
}

/** The teams taking part in the conversation now that the actor manages. */
export function managedTeamsTakingPart(actor: Actor, facts: ConversationFacts): string[] {
  if (actor.kind !== 'professional') return [];
  return actor.memberships
    .filter((m) => m.role === 'manager' && facts.activeTeamIds.includes(m.teamId))
    .map((m) => m.teamId);
}

/**
 * Team workflow (W1, W4): only members of a participating team act on its work; a member
 * assigns only themselves; the assignee or a manager may unassign; any member may reopen
 * what the team archived (decision 0024).
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
    case 'work.reopen':
      return work.archived;
  }
}
