import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import type { Member, Role, TeamDetail } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Checkbox, Select } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { useTeam } from '../teams/useTeams';
import { AddExistingMember } from './AddExistingMember';
import { ROLE_OPTIONS, useSaveMember } from './useMembers';

export function MembersPage() {
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  usePageTitle(team.data ? `Members of ${team.data.name}` : 'Team members');
  if (team.isPending) return <Loading what="team members" />;
  if (team.isError) return <LoadFailure error={team.error} />;
  return <MembersView team={team.data} />;
}

function MembersView({ team }: { team: TeamDetail }) {
  const location = useLocation();
  const [saved, setSaved] = useState<string | null>(null);
  const flash = saved ?? flashFrom(location.state);
  const errors = useFormErrors();
  const canManage = team.actions.manageMembers;
  usePageTitle(`Members of ${team.name}`, errors.hasErrors);
  const onSaved = (message: string) => {
    errors.clear();
    setSaved(message);
  };

  return (
    <>
      <BackLink to={`/teams/${team.id}`}>Back to {team.name}</BackLink>
      {flash ? <SuccessBanner message={flash} focus={saved !== null} /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption={team.name}>Team members</Heading>
      {team.members.length === 0 ? (
        <p className="nhsuk-body">This team has no members yet.</p>
      ) : (
        <Table
          caption={`Members of ${team.name}`}
          captionHidden
          headings={[
            'Name',
            'Role',
            'Patients can message directly',
            ...(canManage ? [hidden('Actions')] : []),
          ]}
        >
          {team.members.map((member) => (
            <MemberRow
              key={member.professionalId}
              team={team}
              member={member}
              canManage={canManage}
              onSaved={onSaved}
              onError={(error) => errors.showApiError(error, () => null)}
            />
          ))}
        </Table>
      )}
      {canManage ? (
        <>
          <AddExistingMember team={team} onAdded={onSaved} />
          <h2 className="nhsuk-heading-m">Someone new</h2>
          <p className="nhsuk-body">
            If the person does not have a Carethread account yet, you can create one.
          </p>
          <Link
            className="nhsuk-button nhsuk-button--secondary"
            to={`/teams/${team.id}/members/new`}
          >
            Create a new professional
          </Link>
        </>
      ) : null}
    </>
  );
}

function MemberRow({
  team,
  member,
  canManage,
  onSaved,
  onError,
}: {
  team: TeamDetail;
  member: Member;
  canManage: boolean;
  onSaved: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const [role, setRole] = useState<Role>(member.role);
  const [contactable, setContactable] = useState(member.contactable);
  const save = useSaveMember(team.id);
  const idBase = `member-${member.professionalId}`;
  const roleLabel = ROLE_OPTIONS.find((o) => o.value === member.role)?.label ?? member.role;

  return (
    <Row>
      <Cell heading="Name">
        <span className="nhsuk-u-font-weight-bold">{member.name}</span>
        <br />
        {member.jobTitle}
        <br />
        <span className="app-break-word">{member.email}</span>
      </Cell>
      <Cell heading="Role">
        {canManage ? (
          <Select
            id={`${idBase}-role`}
            label={<span className="nhsuk-u-visually-hidden">Role of {member.name}</span>}
            options={ROLE_OPTIONS}
            value={role}
            onChange={setRole}
            formGroup={false}
          />
        ) : (
          roleLabel
        )}
      </Cell>
      <Cell heading="Patients can message directly">
        {canManage ? (
          <Checkbox
            id={`${idBase}-contactable`}
            label={
              <>
                Yes
                <span className="nhsuk-u-visually-hidden">
                  , patients can message {member.name}
                </span>
              </>
            }
            checked={contactable}
            onChange={setContactable}
          />
        ) : member.contactable ? (
          'Yes'
        ) : (
          'No'
        )}
      </Cell>
      {canManage ? (
        <Cell>
          <div className="app-actions">
            <button
              className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
              type="button"
              disabled={save.isPending}
              onClick={() =>
                save.mutate(
                  { professionalId: member.professionalId, role, contactable },
                  {
                    onSuccess: () => onSaved(`Changes to ${member.name} have been saved`),
                    onError,
                  },
                )
              }
            >
              Save<span className="nhsuk-u-visually-hidden"> changes to {member.name}</span>
            </button>
            <Link to={`/teams/${team.id}/members/${member.professionalId}/remove`}>
              Remove<span className="nhsuk-u-visually-hidden"> {member.name} from the team</span>
            </Link>
          </div>
        </Cell>
      ) : null}
    </Row>
  );
}
