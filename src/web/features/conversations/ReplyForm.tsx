import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { postMessage } from '../../api/endpoints';
import { CharacterCount } from '../../components/CharacterCount';
import { LeaveDialog } from '../../components/LeaveDialog';
import { hasUnsentText } from '../../components/unsentText';
import { useUnsentWarning } from '../../components/useUnsentWarning';
import { AttachmentPicker } from '../documents/AttachmentPicker';
import { useAttachments } from '../documents/useAttachments';
import type { useFormErrors } from '../../components/useFormErrors';
import { MAX_MESSAGE, messageProblem } from './validation';
import { useConversationMutation, useIdempotencyKey } from './useConversations';

/** Reply box at the foot of a thread. Errors go to the page's error summary. */
export function ReplyForm({
  conversationId,
  patientId,
  errors,
  onSent,
  onDraft,
  isPatient,
}: {
  conversationId: string;
  patientId: string;
  errors: ReturnType<typeof useFormErrors>;
  onSent: () => void;
  /**
   * Told what the box holds on every key, so the page can keep it if the box is taken away:
   * keep it without re-rendering (a ref), or the whole thread redraws per key.
   */
  onDraft?: (text: string) => void;
  isPatient: boolean;
}) {
  const [body, setBodyState] = useState('');
  const setBody = (text: string) => {
    setBodyState(text);
    onDraft?.(text);
  };
  const attachments = useAttachments('reply-attachment');
  const idempotency = useIdempotencyKey();
  // A sent reply empties the box, so nothing is asked after it.
  const unsent = useUnsentWarning(hasUnsentText([body], attachments.chosen));
  const send = useConversationMutation((text: string) => {
    const { documentIds } = attachments;
    const key = idempotency.keyFor({ conversationId, body: text, documentIds });
    return postMessage(conversationId, text, key, documentIds);
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problem = messageProblem(body, 'reply');
    if (problem) return errors.show([{ href: 'reply', message: problem }]);
    if (attachments.problem) return errors.show([attachments.problem]);
    send.mutate(body.trim(), {
      onSuccess: () => {
        idempotency.reset();
        setBody('');
        attachments.clear();
        errors.clear();
        onSent();
      },
      onError: (error) => {
        if (error instanceof ApiError && error.status === 0) {
          errors.show([
            {
              href: null,
              message:
                'Your reply may not have been sent. Check your connection, then select Send reply again: it will not be sent twice.',
            },
          ]);
        } else {
          errors.showApiError(error, (key) => (key === 'body' ? 'reply' : null));
        }
      },
    });
  };

  return (
    <>
      <form noValidate onSubmit={onSubmit} aria-labelledby="reply-heading">
        <h2 className="nhsuk-heading-m" id="reply-heading">
          Reply
        </h2>
        <CharacterCount
          id="reply"
          label="Your reply"
          hint={
            isPatient
              ? 'Do not use this for urgent problems. If you need help now, call 111. In an emergency, call 999.'
              : undefined
          }
          value={body}
          onChange={setBody}
          maxLength={MAX_MESSAGE}
          error={errors.fields.reply}
          rows={6}
        />
        <AttachmentPicker
          {...attachments.picker}
          patientId={patientId}
          conversationId={conversationId}
        />
        <button className="nhsuk-button" type="submit" disabled={send.isPending}>
          Send reply
        </button>
      </form>
      <LeaveDialog blocker={unsent.blocker} />
    </>
  );
}
