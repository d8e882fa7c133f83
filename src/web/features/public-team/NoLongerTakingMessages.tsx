import { Link } from 'react-router';
import { WarningCallout } from '../../components/WarningCallout';
import type { PublicTeam } from './api';

/**
 * What the page of a team made inactive says instead of "Message us securely": plainly that
 * it takes no more messages, and where to go instead — the organisation's teams that do, and
 * the patient's own messages, which stay in their record.
 */
export function NoLongerTakingMessages({
  team,
}: {
  team: Pick<PublicTeam, 'name' | 'organisationName' | 'otherTeams'>;
}) {
  return (
    <>
      <WarningCallout title="No longer taking messages">
        {team.name} is no longer taking messages through Carethread. You cannot send them a message
        here.
      </WarningCallout>

      <h2 className="nhsuk-heading-m">Where to go instead</h2>
      {team.otherTeams.length > 0 ? (
        <>
          <p className="nhsuk-body">
            You can send a secure message to another team at {team.organisationName}:
          </p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {team.otherTeams.map((other) => (
              <li key={other.slug}>
                <Link to={`/t/${encodeURIComponent(other.slug)}`}>{other.name}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="nhsuk-body">
          Contact {team.organisationName} another way, for example by phone, to find out who can
          help you now.
        </p>
      )}
      <p className="nhsuk-body">
        Messages you sent to {team.name} before are still in your account.{' '}
        <Link to="/">Sign in to see your messages</Link>, or to send a new message to a team that
        looks after you.
      </p>
    </>
  );
}
