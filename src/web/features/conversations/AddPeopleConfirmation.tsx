import type { MouseEvent } from 'react';
import { Link } from 'react-router';
import type { ConversationDetail, EscalationSuggestion } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading } from '../../components/Page';
import type { useFormErrors } from '../../components/useFormErrors';
import { addConfirmationWords, LINE_LABELS, type AddTarget } from './addPeopleWords';

/**
 * "Add <X> to this conversation?": what adding means, then "Yes, add <X>" or "Cancel". Its
 * heading takes focus as a new page does (it has its own address, so Back is Cancel too).
 */
export function AddPeopleConfirmation({
  conversation,
  target,
  pathway,
  errors,
  pending,
  listHref,
  onConfirm,
  onCancel,
}: {
  conversation: ConversationDetail;
  target: AddTarget;
  /** The escalation pathway step that offers this team or person, if one does. */
  pathway: EscalationSuggestion | undefined;
  errors: ReturnType<typeof useFormErrors>;
  pending: boolean;
  /** The list without the confirmation, for the links' addresses. */
  listHref: string;
  onConfirm: () => void;
  onCancel: (event: MouseEvent<HTMLAnchorElement>) => void;
}) {
  const words = addConfirmationWords(target, conversation.messages.length);
  return (
    <>
      <Link className="nhsuk-back-link" to={listHref} onClick={onCancel}>
        Back
      </Link>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={conversation.subject}>{words.heading}</Heading>
          {pathway ? (
            <p className="nhsuk-body">
              <strong className="nhsuk-tag nhsuk-tag--blue">{LINE_LABELS[pathway.line]}</strong> on
              the escalation pathway for {pathway.fromTeamName}
            </p>
          ) : null}
          <p className="nhsuk-body">{words.consequence}</p>
          <p className="nhsuk-body">{words.cannotUndo}</p>
          <div className="app-actions">
            <button className="nhsuk-button" type="button" disabled={pending} onClick={onConfirm}>
              {words.confirm}
            </button>
            <Link to={listHref} onClick={onCancel}>
              Cancel
            </Link>
          </div>
        </div>
      </div>
    </>
  );
}
