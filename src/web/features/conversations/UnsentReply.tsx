import { LeaveDialog } from '../../components/LeaveDialog';
import { useUnsentWarning } from '../../components/useUnsentWarning';

/**
 * A reply that was being written when the viewer's team was taken out of the conversation:
 * the reply box has gone, so what they wrote is shown here, read-only, to copy — nothing typed
 * is silently lost. Leaving the page asks first, as it did while the reply box held it.
 */
export function UnsentReply({ text }: { text: string }) {
  const unsent = useUnsentWarning(true);
  return (
    <div className="nhsuk-form-group" id="unsent-reply-group">
      <h2 className="nhsuk-heading-m" id="unsent-reply-heading">
        Your reply has not been sent
      </h2>
      <p className="nhsuk-body" id="unsent-reply-hint">
        You were writing a reply when your team stopped taking part in this conversation, so it was
        not sent. It is below so you can copy it if you still need it, for example to send it
        another way.
      </p>
      <label className="nhsuk-label" htmlFor="unsent-reply">
        Your reply (not sent)
      </label>
      <textarea
        className="nhsuk-textarea"
        id="unsent-reply"
        rows={6}
        readOnly
        value={text}
        aria-describedby="unsent-reply-hint"
      />
      <LeaveDialog blocker={unsent.blocker} />
    </div>
  );
}
