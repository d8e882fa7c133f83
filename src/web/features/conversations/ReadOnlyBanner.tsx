import type { ConversationDetail } from '../../api/types';
import { ImportantBanner } from '../../components/NotificationBanner';

/** Said to staff whose teams, or who themselves, no longer take part in the conversation (M3). */
export function noLongerInHeading(teams: readonly { teamName: string }[]): string {
  if (teams.length > 1) return 'Your teams are no longer in this conversation';
  if (teams.length === 1) return 'Your team is no longer in this conversation';
  return 'You are no longer in this conversation';
}

/** What the banner says to someone reading without taking part: true for them (C3, M3). */
export function readOnlyWords(
  conversation: ConversationDetail,
  isPatient: boolean,
): { heading: string; body: string } {
  const reading = 'You are reading this conversation but not taking part in it';
  if (isPatient) {
    return {
      heading: reading,
      body: 'As their carer you may read this conversation, but not reply to it.',
    };
  }
  const join = conversation.actions.join;
  switch (conversation.readingAs) {
    case 'former_participant': {
      // Their team left or was taken out (or they left themselves): they keep what they saw.
      const teams = conversation.myFormerTeams ?? [];
      const names = teams.map((t) => t.teamName).join(' and ');
      const left = names
        ? `${names} ${teams.length > 1 ? 'have' : 'has'} left it or been taken out of it`
        : 'You left it';
      return {
        heading: noLongerInHeading(teams),
        body:
          `${left}, so you cannot reply or work on it. You can still read the messages up to ` +
          `then.${join ? ` If you need to reply, you can join it ${names ? 'yourself' : 'again'}.` : ''}`,
      };
    }
    case 'record_access':
      return {
        heading: reading,
        body: 'Your team has access to this patient’s record. Join the conversation to reply or bring in others.',
      };
    case 'break_glass':
      return {
        heading: reading,
        body: 'You have emergency access to this patient’s record. Join the conversation to reply or bring in others.',
      };
    default:
      // An answer from before the server said why: claim nothing about the record.
      return {
        heading: reading,
        body: join
          ? 'Join the conversation to reply or bring in others.'
          : 'You can read this conversation but not reply to it.',
      };
  }
}

/** Said above the thread to someone who may read it but not reply, with Join where they may. */
export function ReadOnlyBanner({
  conversation,
  isPatient,
  joining,
  onJoin,
}: {
  conversation: ConversationDetail;
  isPatient: boolean;
  joining: boolean;
  onJoin: () => void;
}) {
  const words = readOnlyWords(conversation, isPatient);
  return (
    <ImportantBanner heading={words.heading}>
      <p className="nhsuk-body">{words.body}</p>
      {conversation.actions.join ? (
        <button
          className="nhsuk-button nhsuk-u-margin-bottom-0"
          type="button"
          disabled={joining}
          onClick={onJoin}
        >
          Join conversation
        </button>
      ) : null}
    </ImportantBanner>
  );
}
