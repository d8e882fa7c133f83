import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { listProfessionals } from '../../api/endpoints';
import type { TeamDetail } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SearchStatus } from '../../components/SearchStatus';
import { TextInput } from '../../components/fields';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { useSaveMember } from './useMembers';

export function AddExistingMember({
  team,
  onAdded,
}: {
  team: TeamDetail;
  onAdded: (message: string) => void;
}) {
  const [text, setText] = useState('');
  const [q, setQ] = useState<string | null>(null);
  const errors = useFormErrors();
  const save = useSaveMember(team.id);
  const results = useQuery({
    queryKey: ['professionals', team.organisationId, q],
    queryFn: () => listProfessionals({ organisationId: team.organisationId, q: q ?? '' }),
    enabled: q !== null,
  });
  const memberIds = new Set(team.members.map((m) => m.professionalId));

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) {
      return errors.show([
        { href: 'professional-search', message: 'Enter a name or email address' },
      ]);
    }
    errors.clear();
    setQ(text.trim());
  };

  return (
    <section aria-labelledby="add-member-heading" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="add-member-heading">
        Add someone who already uses Carethread
      </h2>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <form noValidate onSubmit={onSearch} role="search" aria-label="Find a professional">
        <TextInput
          id="professional-search"
          label="Name or email address"
          hint={`Search staff at ${team.organisationName}`}
          type="search"
          value={text}
          onChange={setText}
          error={errors.fields['professional-search']}
          width="nhsuk-input--width-30"
          spellCheck={false}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Search
        </button>
      </form>
      <SearchStatus
        search={{
          done: q !== null && !results.isPending,
          error: results.error,
          found: results.data?.items.length ?? 0,
          one: 'person',
          many: 'people',
          none: `No one matches “${q}”.`,
        }}
      />
      {/* Not a live region: one added with its words already in it is often not read out.
          SearchStatus, on the page from the start, says what was found. */}
      {q === null ? null : results.isPending ? (
        <p className="nhsuk-body">Searching…</p>
      ) : results.isError ? (
        <p className="nhsuk-body">{results.error.message}</p>
      ) : results.data.items.length === 0 ? (
        <p className="nhsuk-body">No one matches “{q}”.</p>
      ) : (
        <Table caption={`Results for “${q}”`} headings={['Name', 'Email', hidden('Action')]}>
          {results.data.items.map((p) => (
            <Row key={p.id}>
              <Cell heading="Name">
                {p.name}
                <br />
                {p.jobTitle}
              </Cell>
              <Cell heading="Email">
                <span className="app-break-word">{p.email}</span>
              </Cell>
              <Cell>
                {memberIds.has(p.id) ? (
                  'Already a member'
                ) : (
                  <button
                    className="nhsuk-button nhsuk-button--small nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={save.isPending}
                    onClick={() =>
                      save.mutate(
                        { professionalId: p.id, role: 'member', contactable: false },
                        {
                          onSuccess: () => onAdded(`${p.name} has been added to ${team.name}`),
                          onError: (error) => errors.showApiError(error, () => null),
                        },
                      )
                    }
                  >
                    Add<span className="nhsuk-u-visually-hidden"> {p.name}</span> to team
                  </button>
                )}
              </Cell>
            </Row>
          ))}
        </Table>
      )}
    </section>
  );
}
