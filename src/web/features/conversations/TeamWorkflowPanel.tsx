import { type FocusEvent, useLayoutEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { archiveConversation, assignConversation, reopenConversation } from '../../api/endpoints';
import type { ConversationDetail, TeamWorkflow } from '../../api/types';
import { waitingWords } from './format';
import { useConversationMutation } from './useConversations';

const BUTTON = 'nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0';

/**
 * One of the viewer's own teams' workflow on this conversation (W1–W4; Reopen, decision 0024). Assignment is
 * only ever shown to that team's members (W2); the server sends only the viewer's teams.
 */
export function TeamWorkflowPanel({
  conversation,
  workflow,
  several,
  me,
  onDone,
  onError,
}: {
  conversation: ConversationDetail;
  workflow: TeamWorkflow;
  several: boolean;
  me: string | null;
  onDone: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const navigate = useNavigate();
  const { teamId, teamName, assignee, archived, actions } = workflow;
  const assign = useConversationMutation((to: 'me' | null) =>
    assignConversation(conversation.id, teamId, to),
  );
  const archive = useConversationMutation(() =>
    archiveConversation(conversation.id, teamId, conversation.lastMessageSeq),
  );
  const reopen = useConversationMutation(() => reopenConversation(conversation.id, teamId));
  const busy = assign.isPending || archive.isPending || reopen.isPending;
  const forTeam = several ? <span className="nhsuk-u-visually-hidden"> for {teamName}</span> : null;
  const headingId = `workflow-${teamId}`;
  const keepFocus = useFocusInPlace();

  const status = archived
    ? 'Archived'
    : assignee
      ? assignee.professionalId === me
        ? 'Assigned to you'
        : `Assigned to ${assignee.name}`
      : 'Not assigned';

  return (
    <section className="app-workflow" aria-labelledby={headingId}>
      <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2" id={headingId}>
        {teamName}
      </h2>
      <p className="nhsuk-body nhsuk-u-margin-bottom-2" tabIndex={-1} ref={keepFocus.fallback}>
        <strong>{status}</strong>
        {archived ? null : <> · {waitingWords(workflow.waitingSince)}</>}
      </p>
      {actions.assignToMe || actions.unassign || actions.archive || actions.reopen ? (
        <div className="app-actions" onFocus={keepFocus.onFocus} onBlur={keepFocus.onBlur}>
          {actions.assignToMe ? (
            <button
              className={BUTTON}
              type="button"
              disabled={busy}
              onClick={() =>
                assign.mutate('me', {
                  onSuccess: () =>
                    onDone(`This conversation is now assigned to you in ${teamName}`),
                  onError,
                })
              }
            >
              Assign to me{forTeam}
            </button>
          ) : null}
          {actions.unassign ? (
            <button
              className={BUTTON}
              type="button"
              disabled={busy}
              onClick={() =>
                assign.mutate(null, {
                  onSuccess: () =>
                    onDone(`This conversation is no longer assigned to anyone in ${teamName}`),
                  onError,
                })
              }
            >
              Assign to none{forTeam}
            </button>
          ) : null}
          {actions.archive ? (
            <button
              className={BUTTON}
              type="button"
              disabled={busy}
              onClick={() =>
                archive.mutate(undefined, {
                  onSuccess: () =>
                    void navigate(`/inbox/${teamId}`, {
                      state: {
                        flash: `“${conversation.subject}” has been archived for ${teamName}`,
                      },
                    }),
                  onError,
                })
              }
            >
              Archive{forTeam}
            </button>
          ) : null}
          {actions.reopen ? (
            <button
              className={BUTTON}
              type="button"
              disabled={busy}
              onClick={() =>
                reopen.mutate(undefined, {
                  onSuccess: () =>
                    onDone(`This conversation is back in Unassigned for ${teamName}`),
                  onError,
                })
              }
            >
              Reopen{forTeam}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/**
 * A colleague's change reaches this page as a live update and can take away the very button
 * someone is on ("Assign to me" once another nurse has it). The browser then drops focus to
 * the top of the page; instead it goes to the panel's status, which says what happened, and
 * keyboard and screen reader users stay where they were.
 */
function useFocusInPlace() {
  const fallback = useRef<HTMLParagraphElement>(null);
  const focused = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    const button = focused.current;
    if (!button || button.isConnected) return;
    focused.current = null;
    const active = document.activeElement;
    if (!active || active === document.body) fallback.current?.focus();
  });
  return {
    fallback,
    onFocus: (event: FocusEvent<HTMLElement>) => {
      focused.current = event.target;
    },
    // Focus moving elsewhere on purpose names where it went; a button taken away does not, but
    // neither does a click on plain text or another window. Those leave the button unfocused or
    // the page without focus: once the blur is over, forget the button, so that a colleague's
    // change taking it away later does not pull focus (and the page) back to the panel.
    onBlur: (event: FocusEvent<HTMLElement>) => {
      const button = event.target;
      if (event.relatedTarget) {
        focused.current = null;
        return;
      }
      window.setTimeout(() => {
        const stillThere = document.activeElement === button && document.hasFocus();
        if (focused.current === button && !stillThere) focused.current = null;
      }, 0);
    },
  };
}
