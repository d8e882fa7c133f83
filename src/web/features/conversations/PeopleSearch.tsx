import type { ReactNode } from 'react';
import type { PathwayTarget } from '../../api/types';
import { useUser } from '../session/useSession';
import { searchInputId, TeamsAndPeopleSearch } from '../teams/TeamsAndPeopleSearch';

export const PEOPLE_SEARCH_INPUT = searchInputId('people');

/** Any active team or professional of any organisation, contactable or not (M2). */
export function PeopleSearch({
  renderAction,
}: {
  renderAction: (target: PathwayTarget) => ReactNode;
}) {
  const user = useUser();
  return (
    <TeamsAndPeopleSearch
      heading="Find another team or professional"
      idPrefix="people"
      defaultOrganisationId={user.memberships[0]?.organisationId ?? ''}
      defaultOrganisationLabel="All organisations"
      describe={(target) => (
        <>
          {target.kind === 'professional' ? `${target.jobTitle ?? ''}, ` : null}
          {target.organisationName}
        </>
      )}
      actionsHeading="Action"
      renderAction={renderAction}
    />
  );
}
