import { useState } from 'react';
import { Link } from 'react-router';
import type { ConversationDetail, SessionUser } from '../../api/types';
import { ImportantBanner } from '../../components/NotificationBanner';
import { noLongerInHeading } from './ReadOnlyBanner';

type Team = { teamId: string; teamName: string };

interface Seen {
  id: string;
  takingPart: boolean;
  teams: Team[];
}

/** The viewer's own teams among those taking part in the conversation now. */
function myTeamsIn(conversation: ConversationDetail, user: SessionUser): Team[] {
  return conversation.handlingTeams.filter((t) =>
    user.memberships.some((m) => m.teamId === t.teamId),
  );
}

/**
 * Staff only. The teams through which the viewer took part in this conversation when the
 * page last showed them taking part, if they no longer take part: their team was taken out
 * (by a colleague, a manager, or their own leaving in another tab) while the thread was open.
 * Live updates bring the changed conversation; this notices the change. Null otherwise.
 */
export function useTakenOut(conversation: ConversationDetail, user: SessionUser): Team[] | null {
  const takingPart = user.kind === 'professional' && !conversation.readOnly;
  const teams = myTeamsIn(conversation, user);
  const [seen, setSeen] = useState<Seen>({ id: conversation.id, takingPart, teams });
  const [takenOut, setTakenOut] = useState<Team[] | null>(null);
  const key = (list: Team[]) => list.map((t) => t.teamId).join();
  // Adjusted while rendering (React's pattern for state derived from a change of props).
  if (
    seen.id !== conversation.id ||
    seen.takingPart !== takingPart ||
    key(seen.teams) !== key(teams)
  ) {
    if (seen.id === conversation.id && seen.takingPart && !takingPart) setTakenOut(seen.teams);
    else if (seen.id !== conversation.id || takingPart) setTakenOut(null);
    setSeen({ id: conversation.id, takingPart, teams });
  }
  return takenOut;
}

/**
 * Said in place of the thread's actions once the viewer's team is no longer in the
 * conversation: plainly, with focus moved here (the buttons they were using are gone) so a
 * screen reader hears it. What they saw stays readable below (M3).
 */
export function TakenOutNotice({ teams }: { teams: Team[] }) {
  const [only] = teams;
  const names = teams.map((t) => t.teamName).join(' and ');
  return (
    <ImportantBanner heading={noLongerInHeading(teams)} alert>
      <p className="nhsuk-body">
        {names ? `${names} ${teams.length > 1 ? 'were' : 'was'} taken out of it` : 'You left it'},
        so you cannot reply or work on it any more. You can still read the messages below.
      </p>
      {only ? (
        <p className="nhsuk-body nhsuk-u-margin-bottom-0">
          <Link to={`/inbox/${only.teamId}`}>Go to the {only.teamName} inbox</Link>
        </p>
      ) : null}
    </ImportantBanner>
  );
}
