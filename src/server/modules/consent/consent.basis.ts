import type { Actor } from '../identity/actor';
import {
  accessBasis,
  type AccessBasis,
  type ConversationFacts,
  grantedTeamIds,
} from '../conversations/conversations.policy';

/**
 * Why the actor may see the record, for the audit event's details: the basis and, where a
 * team's access is the reason, which team. "Who has seen my record" reads these back (C4).
 */
export function basisDetails(
  actor: Actor,
  facts: ConversationFacts,
): { basis?: AccessBasis; teamId?: string } {
  const basis = accessBasis(actor, facts);
  if (!basis) return {};
  if (actor.kind !== 'professional') return { basis };
  const teamIds = actor.memberships.map((m) => m.teamId);
  const teams =
    basis === 'participant'
      ? facts.activeTeamIds
      : basis === 'care_relationship'
        ? facts.careTeamIds
        : basis === 'record_grant'
          ? grantedTeamIds(facts)
          : [];
  const teamId = teamIds.find((id) => teams.includes(id));
  return teamId ? { basis, teamId } : { basis };
}
