import { useEffect, useRef } from 'react';
import type { Blocker } from 'react-router';

/**
 * "You have not sent your message": a modal `<dialog>` while `useUnsentWarning` holds a move to
 * another page. It is in the page only then, so its name ("…your message") never doubles a
 * field's label.
 */
export function LeaveDialog({ blocker }: { blocker: Blocker }) {
  if (blocker.state !== 'blocked') return null;
  return <LeaveQuestion stay={() => blocker.reset()} leave={() => blocker.proceed()} />;
}

/**
 * Staying is the first and focused choice, and Escape stays too, so a slip loses nothing.
 * The dialog is closed before the answer is acted on, which gives focus back to the link used.
 */
function LeaveQuestion({ stay, leave }: { stay: () => void; leave: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stayButton = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element || element.open) return;
    element.showModal();
    stayButton.current?.focus();
  }, []);

  const answer = (choice: () => void) => {
    if (answered.current) return;
    answered.current = true;
    dialog.current?.close();
    choice();
  };

  return (
    <dialog
      ref={dialog}
      className="app-dialog"
      aria-labelledby="leave-dialog-title"
      aria-describedby="leave-dialog-text"
      onCancel={(event) => {
        event.preventDefault();
        answer(stay);
      }}
      // Closed by the browser rather than by an answer: stay.
      onClose={() => answer(stay)}
    >
      <h2 className="nhsuk-heading-m" id="leave-dialog-title">
        You have not sent your message
      </h2>
      <p className="nhsuk-body" id="leave-dialog-text">
        If you leave this page, what you have written will be lost.
      </p>
      <div className="app-actions">
        <button
          className="nhsuk-button"
          type="button"
          ref={stayButton}
          onClick={() => answer(stay)}
        >
          Stay on this page
        </button>
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          onClick={() => answer(leave)}
        >
          Leave without sending
        </button>
      </div>
    </dialog>
  );
}
