import { usePublicTeam } from './api';

/**
 * Said on "Send a new message" when a website button or link chose a team the patient cannot
 * write to. A team made inactive is named and said plainly to take no more messages; otherwise
 * (not contactable, unknown address) the patient is told to choose from the list or call.
 */
export function ChosenTeamUnavailable({ slug }: { slug: string }) {
  const team = usePublicTeam(slug);
  return (
    <div className="nhsuk-inset-text" id="chosen-team-unavailable">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      {team.data && !team.data.active ? (
        <p>
          {team.data.name} is no longer taking messages through Carethread. Choose another team from
          the list below. Messages you sent to {team.data.name} before are still in your messages.
        </p>
      ) : (
        <p>
          You cannot message the team you chose from here. Choose someone from the list, or call the
          team instead.
        </p>
      )}
    </div>
  );
}
