import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { addParticipant, listAllTeams, listProfessionals } from '../../api/endpoints';
import type { ConversationDetail, EscalationSuggestion, Recipient } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { useOrganisations } from '../teams/useTeams';
import {
  useConversation,
  useConversationMutation,
  useParticipantSuggestions,
} from './useConversations';

type Target = EscalationSuggestion['target'];

const LINE_LABELS = { 2: 'Second line', 3: 'Third line' } as const;
const SMALL_BUTTON =
  'nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0';

export function AddPeoplePage() {
  const { conversationId = '' } = useParams();
  const conversation = useConversation(conversationId);
  usePageTitle('Add people to the conversation');
  if (conversation.isPending) return <Loading />;
  if (conversation.isError) return <LoadFailure error={conversation.error} />;
  if (!conversation.data.actions.addParticipant) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  return <AddPeople conversation={conversation.data} />;
}

const toRecipient = (target: Target): Recipient =>
  target.kind === 'team' ? { teamId: target.id } : { professionalId: target.id };

function AddPeople({ conversation }: { conversation: ConversationDetail }) {
  const errors = useFormErrors();
  const navigate = useNavigate();
  const suggestions = useParticipantSuggestions(conversation.id);
  const threadPath = `/conversations/${conversation.id}`;
  usePageTitle('Add people to the conversation', errors.hasErrors);
  // Participants carry their own ids, so match on what is shown: name and organisation or
  // job title. The server refuses a real duplicate in any case.
  const present = new Set(
    conversation.participants
      .filter((p) => p.active)
      .map((p) => `${p.kind}:${p.name}:${p.detail ?? ''}`),
  );
  const isPresent = (target: Target) =>
    present.has(
      `${target.kind}:${target.name}:${(target.kind === 'team' ? target.organisationName : target.jobTitle) ?? ''}`,
    );

  const add = useConversationMutation((target: Target) =>
    addParticipant(conversation.id, toRecipient(target)),
  );
  const onAdd = (target: Target) =>
    add.mutate(target, {
      onSuccess: () =>
        void navigate(threadPath, {
          state: { flash: `${target.name} has been added to the conversation` },
        }),
      onError: (error) => errors.showApiError(error, () => null),
    });

  const addButton = (target: Target) =>
    isPresent(target) ? (
      'Already in the conversation'
    ) : (
      <button
        className={SMALL_BUTTON}
        type="button"
        disabled={add.isPending}
        onClick={() => onAdd(target)}
      >
        Add<span className="nhsuk-u-visually-hidden"> {target.name}</span>
      </button>
    );

  return (
    <>
      <BackLink to={threadPath}>Back to the conversation</BackLink>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption={conversation.subject}>Add people to the conversation</Heading>
      <p className="nhsuk-body">
        They will see every message in this conversation, including those sent before they were
        added.
      </p>

      <h2 className="nhsuk-heading-m">Suggested by your escalation pathway</h2>
      {suggestions.isPending ? (
        <Loading what="suggestions" />
      ) : suggestions.isError ? (
        <p className="nhsuk-body">{suggestions.error.message}</p>
      ) : suggestions.data.length === 0 ? (
        <p className="nhsuk-body">Your teams have no escalation pathway. Search below instead.</p>
      ) : (
        <Table
          caption="Suggested by your escalation pathway"
          captionHidden
          headings={['Line', 'Team or professional', hidden('Action')]}
        >
          {suggestions.data.map((s) => (
            <Row key={`${s.fromTeamName}-${s.target.kind}-${s.target.id}`}>
              <Cell heading="Line">
                <strong className="nhsuk-tag nhsuk-tag--blue">{LINE_LABELS[s.line]}</strong>
                <br />
                <span className="nhsuk-body-s">for {s.fromTeamName}</span>
              </Cell>
              <Cell heading="Team or professional">
                <span className="nhsuk-u-font-weight-bold">{s.target.name}</span>
                <br />
                {s.target.kind === 'team' ? 'Team' : (s.target.jobTitle ?? 'Professional')},{' '}
                {s.target.organisationName}
              </Cell>
              <Cell>{addButton(s.target)}</Cell>
            </Row>
          ))}
        </Table>
      )}

      <PeopleSearch renderAction={addButton} />
    </>
  );
}

interface Search {
  organisationId: string;
  q: string;
}

/** Any active team or professional of any organisation, contactable or not (M2). */
function PeopleSearch({ renderAction }: { renderAction: (target: Target) => ReactNode }) {
  const user = useUser();
  const organisations = useOrganisations();
  const defaultOrganisation = user.memberships[0]?.organisationId ?? '';
  const [organisationId, setOrganisationId] = useState(defaultOrganisation);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<Search | null>(null);

  const results = useQuery({
    queryKey: ['people-search', search?.organisationId, search?.q],
    enabled: search !== null,
    queryFn: async (): Promise<Target[]> => {
      if (!search) return [];
      const q = search.q.toLowerCase();
      const organisation = search.organisationId || undefined;
      const [teams, professionals] = await Promise.all([
        listAllTeams(organisation),
        listProfessionals({ organisationId: organisation, q: search.q || undefined }),
      ]);
      return [
        ...teams
          .filter((t) => t.active && (!q || t.name.toLowerCase().includes(q)))
          .map((t): Target => ({
            kind: 'team',
            id: t.id,
            name: t.name,
            organisationName: t.organisationName,
          })),
        ...professionals.items
          .filter((p) => p.active)
          .map((p): Target => ({
            kind: 'professional',
            id: p.id,
            name: p.name,
            jobTitle: p.jobTitle,
            organisationName: p.organisationName,
          })),
      ];
    },
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
          id="people-search"
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
