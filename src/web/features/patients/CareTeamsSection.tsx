import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Patient, Team } from '../../api/types';
import { Select } from '../../components/fields';
import { Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import type { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { managedOrganisations, useCareRelationship, useOrganisationTeams } from './useCareTeams';
import { usePatient } from './usePatient';

type FormErrors = ReturnType<typeof useFormErrors>;

export const patientFullName = (patient: Patient) => `${patient.givenName} ${patient.familyName}`;

/**
 * "Teams that look after <name>": a coordinator of an organisation the patient is registered
 * with chooses which of its teams have a care relationship, and so open the whole record (C2).
 * Shown to coordinators only: getPatient is an audited read of the patient's details (C4).
 */
export function CareTeamsSection({ patientId, errors }: { patientId: string; errors: FormErrors }) {
  const user = useUser();
  const patient = usePatient(patientId);
  const organisations = managedOrganisations(patient.data, user);
  if (patient.isPending) return <Loading what="teams that look after this patient" />;
  if (patient.isError) {
    return (
      <SectionLoadFailure error={patient.error} what="the teams that look after this patient" />
    );
  }
  if (organisations.length === 0) return null;
  return <CareTeams patient={patient.data} organisations={organisations} errors={errors} />;
}

function CareTeams({
  patient,
  organisations,
  errors,
}: {
  patient: Patient;
  organisations: { id: string; name: string }[];
  errors: FormErrors;
}) {
  const name = patientFullName(patient);
  const {
    teams: organisationTeams,
    isPending: loading,
    error,
  } = useOrganisationTeams(organisations);
  // Only the coordinator's own organisations' teams can be removed by them.
  const manageable = new Set(organisationTeams.map((t) => t.id));
  const caring = new Set(patient.careTeams.map((t) => t.id));
  const addable = organisationTeams.filter((t) => t.active && !caring.has(t.id));
  const several = organisations.length > 1;

  return (
    <section aria-labelledby="care-teams-heading">
      <h2 className="nhsuk-heading-m" id="care-teams-heading">
        Teams that look after {name}
      </h2>
      <p className="nhsuk-body">
        Members of these teams can open {name}’s whole record. Other teams see only the
        conversations they take part in.
      </p>
      {patient.careTeams.length === 0 ? (
        <p className="nhsuk-body">No teams look after {name} yet.</p>
      ) : (
        <Table
          caption={`Teams that look after ${name}`}
          captionHidden
          headings={['Team', hidden('Action')]}
        >
          {patient.careTeams.map((team) => (
            <Row key={team.id}>
              <Cell heading="Team">{team.name}</Cell>
              <Cell>
                {manageable.has(team.id) ? (
                  <Link
                    to={`/patients/${encodeURIComponent(patient.id)}/care-teams/${encodeURIComponent(team.id)}/remove`}
                  >
                    Remove<span className="nhsuk-u-visually-hidden"> {team.name}</span>
                  </Link>
                ) : null}
              </Cell>
            </Row>
          ))}
        </Table>
      )}
      {error ? (
        <SectionLoadFailure error={error} what="your organisation’s teams" />
      ) : loading ? (
        <Loading what="your organisation’s teams" />
      ) : addable.length === 0 ? (
        <p className="nhsuk-body">
          Every active team in your organisation already looks after {name}.
        </p>
      ) : (
        <AddCareTeam patient={patient} teams={addable} showOrganisation={several} errors={errors} />
      )}
    </section>
  );
}

function AddCareTeam({
  patient,
  teams,
  showOrganisation,
  errors,
}: {
  patient: Patient;
  teams: Team[];
  showOrganisation: boolean;
  errors: FormErrors;
}) {
  const name = patientFullName(patient);
  const [teamId, setTeamId] = useState('');
  const navigate = useNavigate();
  const change = useCareRelationship(patient.id, ({ teamId: added }) => {
    setTeamId('');
    const team = teams.find((t) => t.id === added);
    void navigate(`/patients/${encodeURIComponent(patient.id)}`, {
      replace: true,
      state: { flash: `${team?.name ?? 'The team'} now looks after ${name}` },
    });
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!teams.some((t) => t.id === teamId)) {
      return errors.show([{ href: 'care-team', message: 'Choose a team to add' }]);
    }
    errors.clear();
    change.mutate(
      { teamId, present: true },
      { onError: (error) => errors.showApiError(error, () => 'care-team') },
    );
  };

  return (
    <form noValidate onSubmit={onSubmit}>
      <h3 className="nhsuk-heading-s">Add a team</h3>
      <Select
        id="care-team"
        label="Team"
        hint={`Its members will be able to open ${name}’s whole record.`}
        options={[
          { value: '', label: 'Choose a team' },
          ...teams.map((t) => ({
            value: t.id,
            label: showOrganisation ? `${t.name} (${t.organisationName})` : t.name,
          })),
        ]}
        value={teamId}
        onChange={setTeamId}
        error={errors.fields['care-team']}
      />
      <button className="nhsuk-button" type="submit" disabled={change.isPending}>
        Add team
      </button>
    </form>
  );
}
