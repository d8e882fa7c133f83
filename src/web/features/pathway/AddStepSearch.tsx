import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { findTeamsAndPeople } from '../../api/directorySearch';
import type { Line, PathwayTarget } from '../../api/types';
import { Select, TextInput } from '../../components/fields';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { Loading } from '../../components/Page';
import { useOrganisations } from '../teams/useTeams';

interface Search {
  organisationId: string;
  q: string;
}

/** Finds a team or professional in any organisation and adds it to the pathway. */
export function AddStepSearch({
  defaultOrganisationId,
  excludeIds,
  onAdd,
}: {
  defaultOrganisationId: string;
  excludeIds: Set<string>;
  onAdd: (target: PathwayTarget, line: Line) => void;
}) {
  const organisations = useOrganisations();
  const [organisationId, setOrganisationId] = useState(defaultOrganisationId);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<Search | null>(null);

  const results = useQuery({
    queryKey: ['pathway-search', search?.organisationId, search?.q],
    enabled: search !== null,
    queryFn: (): Promise<PathwayTarget[]> =>
      search
        ? findTeamsAndPeople({ organisationId: search.organisationId, q: search.q })
        : Promise.resolve([]),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ organisationId, q: text.trim() });
  };

  const options = (organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }));
  if (!options.some((o) => o.value === organisationId)) {
    options.unshift({ value: organisationId, label: 'This organisation' });
  }
  const found = (results.data ?? []).filter((t) => !excludeIds.has(t.id));

  return (
    <section aria-labelledby="add-step-heading" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="add-step-heading">
        Add a team or professional
      </h2>
      <form noValidate onSubmit={onSubmit} role="search" aria-label="Find a team or professional">
        <Select
          id="step-organisation"
          label="Organisation"
          options={options}
          value={organisationId}
          onChange={setOrganisationId}
        />
        <TextInput
          id="step-search"
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
      ) : found.length === 0 ? (
        <p className="nhsuk-body" role="status">
          No teams or professionals match.
        </p>
      ) : (
        <Table caption="Search results" headings={['Name', 'Type', hidden('Actions')]}>
          {found.map((target) => (
            <Row key={`${target.kind}-${target.id}`}>
              <Cell heading="Name">
                {target.name}
                {target.kind === 'professional' ? (
                  <>
                    <br />
                    {target.jobTitle}
                  </>
                ) : null}
              </Cell>
              <Cell heading="Type">{target.kind === 'team' ? 'Team' : 'Professional'}</Cell>
              <Cell>
                <div className="app-actions">
                  {([2, 3] as const).map((line) => (
                    <button
                      key={line}
                      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                      type="button"
                      onClick={() => onAdd(target, line)}
                    >
                      Add<span className="nhsuk-u-visually-hidden"> {target.name}</span> as{' '}
                      {line === 2 ? 'second' : 'third'} line
                    </button>
                  ))}
                </div>
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </section>
  );
}
