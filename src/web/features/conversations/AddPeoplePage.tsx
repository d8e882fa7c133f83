import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { addParticipant } from '../../api/endpoints';
import type { ConversationDetail, Recipient } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { AddPeopleConfirmation } from './AddPeopleConfirmation';
import { addConfirmationWords, LINE_LABELS, type AddTarget as Target } from './addPeopleWords';
import { PEOPLE_SEARCH_INPUT, PeopleSearch } from './PeopleSearch';
import {
  useConversation,
  useConversationMutation,
  useParticipantSuggestions,
} from './useConversations';

const TITLE = 'Add people to the conversation';
const SMALL_BUTTON =
  'nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0';
/** Marks a confirmation opened from the list, so Cancel can simply go back to it. */
const FROM_LIST = { addPeopleFromList: true };

export function AddPeoplePage() {
  const { conversationId = '' } = useParams();
  const conversation = useConversation(conversationId);
  usePageTitle(TITLE);
  if (conversation.isPending) return <Loading />;
  if (conversation.isError) return <LoadFailure error={conversation.error} />;
  if (!conversation.data.actions.addParticipant) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  return <AddPeople conversation={conversation.data} />;
}

const toRecipient = (target: Target): Recipient =>
  target.kind === 'team' ? { teamId: target.id } : { professionalId: target.id };

/** The `add` search parameter naming who is being confirmed: "team-<id>" or "professional-<id>". */
const targetKey = (target: Target) => `${target.kind}-${target.id}`;

/**
 * Adding someone shares the whole conversation with them (M3) and cannot be taken back, so
 * "Add" asks first: `?add=<kind>-<id>` shows the confirmation and only "Yes, add" calls the
 * API. The search form stays mounted (hidden) meanwhile, so Cancel or Back finds it as it was.
 */
function AddPeople({ conversation }: { conversation: ConversationDetail }) {
  const errors = useFormErrors();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const suggestions = useParticipantSuggestions(conversation.id);
  // Who was chosen, and the id of the button to focus again on Cancel. Search results live
  // only in this page, so the chosen target is kept here; suggestions are found again.
  const [chosen, setChosen] = useState<Target | null>(null);
  const returnFocus = useRef<string | null>(null);
  const threadPath = `/conversations/${conversation.id}`;

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

  const wanted = params.get('add');
  const known = [...(chosen ? [chosen] : []), ...(suggestions.data ?? []).map((s) => s.target)];
  const confirming =
    known.find((t) => wanted !== null && targetKey(t) === wanted && !isPresent(t)) ?? null;
  const pathway = confirming
    ? suggestions.data?.find((s) => targetKey(s.target) === targetKey(confirming))
    : undefined;
  const isConfirming = confirming !== null;
  usePageTitle(
    confirming ? addConfirmationWords(confirming, conversation.messages.length).heading : TITLE,
    isConfirming && errors.hasErrors,
  );

  // Back from the confirmation: to the button that opened it, or else the search box. This
  // runs after the page heading has taken focus for the change of address.
  useEffect(() => {
    if (isConfirming || returnFocus.current === null) return;
    const button = document.getElementById(returnFocus.current);
    returnFocus.current = null;
    (button ?? document.getElementById(PEOPLE_SEARCH_INPUT))?.focus();
  }, [isConfirming]);

  const add = useConversationMutation((target: Target) =>
    addParticipant(conversation.id, toRecipient(target)),
  );
  const onConfirm = (target: Target) =>
    add.mutate(target, {
      // Replace the confirmation, so Back from the conversation returns to the list.
      onSuccess: () =>
        void navigate(threadPath, {
          replace: true,
          state: { flash: `${target.name} has been added to the conversation` },
        }),
      onError: (error) => errors.showApiError(error, () => null),
    });

  const onChoose = (target: Target, buttonId: string) => {
    errors.clear();
    returnFocus.current = buttonId;
    setChosen(target);
    void navigate({ search: `?add=${targetKey(target)}` }, { state: FROM_LIST });
  };
  const onCancel = (event: MouseEvent<HTMLAnchorElement>) => {
    // A new tab or window opens the list as a link would.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    const fromList =
      location.state !== null &&
      typeof location.state === 'object' &&
      'addPeopleFromList' in location.state;
    // Going back keeps the history as if the confirmation had not been opened.
    if (fromList) void navigate(-1);
    else void navigate({ search: '' }, { replace: true });
  };

  /** `place` makes the button's id unique: one target may be suggested for two teams. */
  const addButton = (target: Target, place: string) => {
    if (isPresent(target)) return 'Already in the conversation';
    const id = `add-${place}-${targetKey(target)}`;
    return (
      <button
        className={SMALL_BUTTON}
        type="button"
        id={id}
        disabled={add.isPending}
        onClick={() => onChoose(target, id)}
      >
        Add<span className="nhsuk-u-visually-hidden"> {target.name}</span>
      </button>
    );
  };

  return (
    <>
      {confirming ? (
        <AddPeopleConfirmation
          conversation={conversation}
          target={confirming}
          pathway={pathway}
          errors={errors}
          pending={add.isPending}
          listHref={location.pathname}
          onConfirm={() => onConfirm(confirming)}
          onCancel={onCancel}
        />
      ) : (
        <>
          <BackLink to={threadPath}>Back to the conversation</BackLink>
          <Heading caption={conversation.subject}>{TITLE}</Heading>
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
            <p className="nhsuk-body">
              Your teams have no escalation pathway. Search below instead.
            </p>
          ) : (
            <Table
              caption="Suggested by your escalation pathway"
              captionHidden
              headings={['Line', 'Team or professional', hidden('Action')]}
            >
              {suggestions.data.map((s, index) => (
                <Row key={`${s.fromTeamName}-${s.target.kind}-${s.target.id}`}>
                  <Cell heading="Line">
                    <strong className="nhsuk-tag nhsuk-tag--blue">{LINE_LABELS[s.line]}</strong>
                    <br />
                    <span className="nhsuk-body-s">for {s.fromTeamName}</span>
                  </Cell>
                  <Cell heading="Team or professional">
                    <span className="nhsuk-u-font-weight-bold">{s.target.name}</span>
                    <br />
                    {s.target.kind === 'team'
                      ? 'Team'
                      : (s.target.jobTitle ?? 'Professional')}, {s.target.organisationName}
                  </Cell>
                  <Cell>{addButton(s.target, `suggested-${index}`)}</Cell>
                </Row>
              ))}
            </Table>
          )}
        </>
      )}
      <div hidden={isConfirming}>
        <PeopleSearch renderAction={(target) => addButton(target, 'found')} />
      </div>
    </>
  );
}
