import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { patientFullName } from './CareTeamsSection';
import { managedOrganisations, useCareRelationship, useOrganisationTeams } from './useCareTeams';
import { usePatient } from './usePatient';

/** Confirms ending a team's care relationship: its members lose the whole record (C2). */
export function RemoveCareTeamPage() {
  const { patientId = '', teamId = '' } = useParams();
  const user = useUser();
  const patient = usePatient(patientId);
  const navigate = useNavigate();
  const patientPath = `/patients/${encodeURIComponent(patientId)}`;
  // Runs with this render's patient: the team is still among its care teams.
  const change = useCareRelationship(patientId, () => {
    const team = patient.data?.careTeams.find((t) => t.id === teamId);
    const who = patient.data ? patientFullName(patient.data) : 'this patient';
    void navigate(patientPath, {
      state: { flash: `${team?.name ?? 'The team'} no longer looks after ${who}` },
    });
  });
  const errors = useFormErrors();
  const careTeam = patient.data?.careTeams.find((t) => t.id === teamId);
  // Only a team of an organisation the patient is registered with and the user coordinates.
  const teams = useOrganisationTeams(managedOrganisations(patient.data, user));
  const name = patient.data ? patientFullName(patient.data) : null;
  usePageTitle(
    careTeam && name ? `Remove ${careTeam.name} from ${name}’s care` : 'Remove a team',
    errors.hasErrors,
  );

  if (patient.isPending) return <Loading />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  // Once removed, the refreshed patient no longer lists the team: wait for the navigation.
  if (!careTeam && (change.isPending || change.isSuccess)) return <Loading />;
  if (teams.isPending) return <Loading />;
  if (teams.error) return <LoadFailure error={teams.error} />;
  const manageable = teams.teams.some((t) => t.id === teamId);
  if (!careTeam || !name || !manageable) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }

  return (
    <ConfirmPage
      back={{ to: patientPath, label: `Back to ${name}` }}
      caption={name}
      question={`Are you sure you want to remove ${careTeam.name} from the teams that look after ${name}?`}
      errors={errors}
      confirm={`Yes, remove ${careTeam.name}`}
      keep={`No, keep ${careTeam.name}`}
      pending={change.isPending}
      onConfirm={() =>
        change.mutate(
          { teamId, present: false },
          { onError: (error) => errors.showApiError(error, () => null) },
        )
      }
    >
      <p className="nhsuk-body">
        Members of {careTeam.name} will no longer be able to open {name}’s record unless they take
        part in a conversation with {name}. They will still see the conversations their team takes
        part in.
      </p>
    </ConfirmPage>
  );
}
