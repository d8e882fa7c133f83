import { useParams, useNavigate, Link } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useTeam } from '../teams/useTeams';
import { useRemoveMember } from './useMembers';

export function RemoveMemberPage() {
  const { teamId = '', professionalId = '' } = useParams();
  const team = useTeam(teamId);
  const remove = useRemoveMember(teamId);
  const navigate = useNavigate();
  const errors = useFormErrors();
  const member = team.data?.members.find((m) => m.professionalId === professionalId);
  usePageTitle(member ? `Remove ${member.name}` : 'Remove team member', errors.hasErrors);

  if (team.isPending) return <Loading />;
  if (team.isError) return <LoadFailure error={team.error} />;
  // Once removed, the refreshed team no longer lists them: wait for the navigation.
  if (!member && (remove.isPending || remove.isSuccess)) return <Loading />;
  if (!member || !team.data.actions.manageMembers) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  const membersPath = `/teams/${teamId}/members`;

  return (
    <>
      <BackLink to={membersPath}>Back to team members</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={team.data.name}>
            Are you sure you want to remove {member.name} from {team.data.name}?
          </Heading>
          <p className="nhsuk-body">
            They will stop seeing this team's conversations. Their Carethread account is not
            deleted.
          </p>
          <div className="app-actions">
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="button"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(professionalId, {
                  onSuccess: () =>
                    void navigate(membersPath, {
                      state: { flash: `${member.name} has been removed from ${team.data.name}` },
                    }),
                  onError: (error) => errors.showApiError(error, () => null),
                })
              }
            >
              Yes, remove {member.name}
            </button>
            <Link className="nhsuk-link" to={membersPath}>
              No, keep them in the team
            </Link>
          </div>
        </div>
      </div>
    </>
  );
}
