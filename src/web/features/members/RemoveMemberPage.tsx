import { useParams, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
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
    <ConfirmPage
      back={{ to: membersPath, label: 'Back to team members' }}
      caption={team.data.name}
      question={`Are you sure you want to remove ${member.name} from ${team.data.name}?`}
      errors={errors}
      confirm={`Yes, remove ${member.name}`}
      keep="No, keep them in the team"
      pending={remove.isPending}
      onConfirm={() =>
        remove.mutate(professionalId, {
          onSuccess: () =>
            void navigate(membersPath, {
              state: { flash: `${member.name} has been removed from ${team.data.name}` },
            }),
          onError: (error) => errors.showApiError(error, () => null),
        })
      }
    >
      <p className="nhsuk-body">
        They will stop seeing this team's conversations. Their Carethread account is not deleted.
      </p>
    </ConfirmPage>
  );
}
