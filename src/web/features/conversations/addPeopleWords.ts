import type { EscalationSuggestion } from '../../api/types';

// What the "Add people" confirmation says. Adding cannot be undone by the person adding, and
// the newcomer reads the whole history (M3), so the words spell out who will see what.

export type AddTarget = EscalationSuggestion['target'];

export const LINE_LABELS = { 2: 'Second line', 3: 'Third line' } as const;

/** "Cardiology Consultants (Demo Trust)" or "Dr Anna Novak (Consultant cardiologist, Demo Trust)". */
export function describeTarget(target: AddTarget): string {
  const detail =
    target.kind === 'professional' && target.jobTitle
      ? `${target.jobTitle}, ${target.organisationName}`
      : target.organisationName;
  return `${target.name} (${detail})`;
}

function whatTheyWillSee(messageCount: number): string {
  if (messageCount === 1) return 'the message already in this conversation and every new one';
  if (messageCount < 1) return 'every message in this conversation';
  return `all ${messageCount.toLocaleString('en-GB')} messages in this conversation, including earlier ones`;
}

export interface AddConfirmationWords {
  heading: string;
  consequence: string;
  cannotUndo: string;
  confirm: string;
}

export function addConfirmationWords(
  target: AddTarget,
  messageCount: number,
): AddConfirmationWords {
  const team = target.kind === 'team';
  const who = team ? `Everyone in ${describeTarget(target)}` : describeTarget(target);
  const later = team ? ' So will anyone who joins the team later.' : '';
  return {
    heading: `Add ${target.name} to this conversation?`,
    consequence: `${who} will see ${whatTheyWillSee(messageCount)}, and can reply.${later}`,
    cannotUndo: team
      ? "You cannot undo this. Only the team's members can take it out of the conversation, and they keep what they have seen."
      : 'You cannot undo this. Only they can leave the conversation, and they keep what they have seen.',
    confirm: `Yes, add ${target.name}`,
  };
}
