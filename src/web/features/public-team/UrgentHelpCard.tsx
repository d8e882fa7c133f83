import type { Availability, ContactableTeam } from '../../api/types';
import { formatNextOpening } from './format';

export interface ClosedTeam {
  name: string;
  nextOpening: Availability['nextOpening'];
}

/** The chosen teams that are closed now (opening hours, issue 8): told before sending. */
export function closedNow(
  teams: readonly ContactableTeam[],
  chosen: (teamId: string) => boolean,
): ClosedTeam[] {
  return teams
    .filter((t) => chosen(t.id) && t.availability?.openNow === false)
    .map((t) => ({ name: t.name, nextOpening: t.availability?.nextOpening ?? null }));
}

/**
 * Before a patient (or their carer) sends to a team that is closed: when it will read their message, and
 * where to get help now (NHS.UK urgent care card).
 */
export function UrgentHelpCard({ closed, id }: { closed: ClosedTeam[]; id?: string }) {
  if (closed.length === 0) return null;
  return (
    <div className="nhsuk-card nhsuk-card--care nhsuk-card--care--urgent" id={id}>
      <div className="nhsuk-card__heading-container">
        <h2 className="nhsuk-card__heading">
          <span className="nhsuk-u-visually-hidden">Urgent advice: </span>
          {closed.length === 1 ? `${closed[0]?.name} is closed now` : 'Some teams are closed now'}
        </h2>
        <span className="nhsuk-card--care__arrow" aria-hidden="true"></span>
      </div>
      <div className="nhsuk-card__content">
        <ul>
          {closed.map((team) => (
            <li key={team.name}>
              {team.nextOpening
                ? `${team.name} will not see your message until they open at ${formatNextOpening(team.nextOpening)}.`
                : `${team.name} has no opening hours this week, so may not see your message for some time.`}
            </li>
          ))}
        </ul>
        <p>If you need help now:</p>
        <ul>
          <li>
            go to <a href="https://111.nhs.uk">111.nhs.uk</a> or call 111
          </li>
          <li>call 999 in an emergency, if someone is seriously ill or injured</li>
        </ul>
      </div>
    </div>
  );
}
