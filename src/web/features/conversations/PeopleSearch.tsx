import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { findTeamsAndPeople } from '../../api/directorySearch';
import { Select, TextInput } from '../../components/fields';
import { Loading } from '../../components/Page';
import { hidden, Cell, Row, Table } from '../../components/Table';
import { useUser } from '../session/useSession';
import { useOrganisations } from '../teams/useTeams';
import type { AddTarget as Target } from './addPeopleWords';

export const PEOPLE_SEARCH_INPUT = 'people-search';

interface Search {
  organisationId: string;
  q: string;
}

/** Any active team or professional of any organisation, contactable or not (M2). */
export function PeopleSearch({ renderAction }: { renderAction: (target: Target) => ReactNode }) {
  const user = useUser();
  const organisations = useOrganisations();
  const defaultOrganisation = user.memberships[0]?.organisationId ?? '';
  const [organisationId, setOrganisationId] = useState(defaultOrganisation);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<Search | null>(null);

  const results = useQuery({
    queryKey: ['people-search', search?.organisationId, search?.q],
    enabled: search !== null,
    queryFn: (): Promise<Target[]> =>
      search
        ? findTeamsAndPeople({ organisationId: search.organisationId || undefined, q: search.q })
        : Promise.resolve([]),
  });

  const options = (organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }));
  if (!options.some((o) => o.value === organisationId)) {
    options.unshift({ value: organisationId, label: 'All organisations' });
  }

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ organisationId, q: text.trim() });
  };

  return (
    <section aria-labelledby="search-people-heading" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="search-people-heading">
        Find another team or professional
      </h2>
      <form noValidate onSubmit={onSubmit} role="search" aria-label="Find a team or professional">
        <Select
          id="people-organisation"
          label="Organisation"
          options={options}
          value={organisationId}
          onChange={setOrganisationId}
        />
        <TextInput
          id={PEOPLE_SEARCH_INPUT}
          label="Name (optional)"
          hint="Part of a team's name, or a person's name or email address. Leave blank to see everyone."
          type="search"
          value={text}
          onChange={setText}
          width="nhsuk-input--width-30"
          spellCheck={false}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Search
        </button>
      </form>
      {search === null ? null : results.isPending ? (
        <Loading what="search results" />
      ) : results.isError ? (
        <p className="nhsuk-body">{results.error.message}</p>
      ) : results.data.length === 0 ? (
        <p className="nhsuk-body" role="status">
          No teams or professionals match.
        </p>
      ) : (
        <Table caption="Search results" headings={['Name', 'Type', hidden('Action')]}>
          {results.data.map((target) => (
            <Row key={`${target.kind}-${target.id}`}>
              <Cell heading="Name">
                {target.name}
                <br />
                {target.kind === 'professional' ? `${target.jobTitle ?? ''}, ` : null}
                {target.organisationName}
              </Cell>
              <Cell heading="Type">{target.kind === 'team' ? 'Team' : 'Professional'}</Cell>
              <Cell>{renderAction(target)}</Cell>
            </Row>
          ))}
        </Table>
      )}
    </section>
  );
}
