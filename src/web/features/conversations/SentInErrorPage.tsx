import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { markMessageSentInError } from '../../api/endpoints';
import { BackLink } from '../../components/BackLink';
import { CorrectionForm, correctionFieldId } from '../../components/CorrectionForm';
import { sentInErrorHint } from '../../components/correctionWords';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { documentKeys } from '../documents/documentsApi';
import { useUser } from '../session/useSession';
import { useConversation, useConversationMutation } from './useConversations';

const TITLE = 'Remove a message sent in error';

/**
 * Its author, or a manager of a team taking part, takes a message out of the conversation
 * when it was sent in error (the wrong patient, the wrong words, someone else's results):
 * asks why, warns what happens, then marks it (markMessageSentInError, decision 0021).
 */
export function SentInErrorPage() {
  const { conversationId = '', messageId = '' } = useParams();
  const conversation = useConversation(conversationId);
  const user = useUser();
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  usePageTitle(TITLE, errors.hasErrors);
  const remove = useConversationMutation((reason: string) =>
    markMessageSentInError(conversationId, messageId, reason),
  );
  if (conversation.isPending) return <Loading />;
  if (conversation.isError) return <LoadFailure error={conversation.error} />;
  const back = `/conversations/${conversationId}`;
  const message = conversation.data.messages.find((m) => m.id === messageId);
  const asManager = conversation.data.actions.removeAnyMessage === true;
  const refusal = !message
    ? 'This message could not be found in the conversation.'
    : message.enteredInError
      ? 'This message has already been removed from the conversation.'
      : asManager
        ? null
        : !message.authorIsMe
          ? 'Only the person who wrote a message, or a manager of a team taking part, can say it was sent in error.'
          : !conversation.data.actions.reply
            ? 'You can no longer write in this conversation, so you cannot remove what you wrote.'
            : null;
  if (refusal || !message) {
    return (
      <>
        <BackLink to={back}>Back to the conversation</BackLink>
        <Heading>{TITLE}</Heading>
        <p className="nhsuk-body">{refusal}</p>
      </>
    );
  }
  const files = message.attachments ?? [];
  return (
    <>
      <BackLink to={back}>Back to the conversation</BackLink>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption={conversation.data.subject}>{TITLE}</Heading>
      <blockquote className="nhsuk-inset-text">
        {message.authorIsMe ? null : <p className="nhsuk-body-s">{message.authorName} wrote:</p>}
        <p className="app-message__body">{message.body}</p>
        {files.length > 0 ? (
          <p className="nhsuk-body-s">With {files.map((f) => f.title).join(', ')}</p>
        ) : null}
      </blockquote>
      <WarningCallout title="Important">
        Once removed, nobody can read this message or open the files sent with it, you included.
        Everyone in the conversation will see that a message was removed, when, and that you removed
        it. If it was read already, it may have been acted on: say so in a new message if that
        matters.
      </WarningCallout>
      <CorrectionForm
        label="Why was it sent in error?"
        hint={sentInErrorHint(user)}
        missing="Say why it was sent in error"
        button="Remove the message"
        pending={remove.isPending}
        errors={errors}
        onReason={(reason) =>
          remove.mutate(reason, {
            onSuccess: () => {
              // Its files went out of use with it.
              void client.invalidateQueries({ queryKey: documentKeys.all });
              void navigate(back);
            },
            onError: (error) => errors.showApiError(error, correctionFieldId),
          })
        }
      />
    </>
  );
}
