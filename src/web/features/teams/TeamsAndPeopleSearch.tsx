import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { findTeamsAndPeople } from '../../api/directorySearch';
import type { PathwayTarget } from '../../api/types';
import { Select, TextInput } from '../../components/fields';
import { Loading } from '../../components/Page';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useOrganisations } from './useTeams';
import { SearchStatus } from '../../components/SearchStatus';

interface Search {
  organisationId: string;
  q: string;
}

interface Props {
  /** The section's heading, and the start of its elements' ids (unique on the page). */
  heading: string;
  idPrefix: string;
  defaultOrganisationId: string;
  /** What the default is called when it is not one organisation (none: every one). */
  defaultOrganisationLabel: string;
  /** Leaves out what is already there (an escalation pathway's steps). */
  excludeIds?: ReadonlySet<string>;
  /** What is shown under each name: a professional's job title, an organisation… */
  describe: (target: PathwayTarget) => ReactNode;
  actionsHeading: string;
  renderAction: (target: PathwayTarget) => ReactNode;
}

/** The id of the search's text box, for returning focus to it. */
export const searchInputId = (idPrefix: string) => `${idPrefix}-search`;

/**
 * Finds any active team or professional, in one organisation or every one (M2), and offers
 * an action for each: bringing them into a conversation, or onto an escalation pathway.
 */
export function TeamsAndPeopleSearch({
  heading,
  idPrefix,
  defaultOrganisationId,
  defaultOrganisationLabel,
  excludeIds,
  describe,
  actionsHeading,
  renderAction,
}: Props) {
  const organisations = useOrganisations();
  const [organisationId, setOrganisationId] = useState(defaultOrganisationId);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<Search | null>(null);

  const results = useQuery({
    queryKey: ['teams-and-people', search?.organisationId, search?.q],
    enabled: search !== null,
    queryFn: (): Promise<PathwayTarget[]> =>
      search
        ? findTeamsAndPeople({ organisationId: search.organisationId || undefined, q: search.q })
        : Promise.resolve([]),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ organisationId, q: text.trim() });
  };

  const options = (organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }));
  if (!options.some((o) => o.value === organisationId)) {
    options.unshift({ value: organisationId, label: defaultOrganisationLabel });
  }
  const found = (results.data ?? []).filter((target) => !excludeIds?.has(target.id));
  const headingId = `${idPrefix}-heading`;

  return (
    <section aria-labelledby={headingId} className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id={headingId}>
        {heading}
      </h2>
      <form noValidate onSubmit={onSubmit} role="search" aria-label="Find a team or professional">
        <Select
          id={`${idPrefix}-organisation`}
          label="Organisation"
          options={options}
          value={organisationId}
          onChange={setOrganisationId}
        />
        <TextInput
          id={searchInputId(idPrefix)}
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
      <SearchStatus
        search={{
          done: search !== null && !results.isPending,
          error: results.error,
          found: found.length,
          one: 'team or professional',
          many: 'teams or professionals',
          none: 'No teams or professionals match.',
        }}
      />
      {search === null ? null : results.isPending ? (
        <Loading what="search results" />
      ) : results.isError ? (
        <p className="nhsuk-body">{results.error.message}</p>
      ) : found.length === 0 ? (
        <p className="nhsuk-body">No teams or professionals match.</p>
      ) : (
        <Table caption="Search results" headings={['Name', 'Type', hidden(actionsHeading)]}>
          {found.map((target) => (
            <Row key={`${target.kind}-${target.id}`}>
              <Cell heading="Name">
                {target.name}
                <Details>{describe(target)}</Details>
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

/** What goes under a name, on its own line, if anything. */
function Details({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <>
      <br />
      {children}
    </>
  );
}
