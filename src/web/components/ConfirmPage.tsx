import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { BackLink } from './BackLink';
import { ErrorSummary } from './ErrorSummary';
import { Heading } from './Page';
import type { useFormErrors } from './useFormErrors';

/**
 * An NHS.UK confirmation page for something that cannot be undone from here: the question as
 * the heading, what follows, a warning button that does it and a link that backs out. It is
 * a form, so a field among the children (a witness's name, say) submits with Enter.
 */
export function ConfirmPage({
  back,
  caption,
  question,
  errors,
  confirm,
  keep,
  pending,
  onConfirm,
  children,
}: {
  back: { to: string; label: string };
  caption: string;
  question: ReactNode;
  errors: ReturnType<typeof useFormErrors>;
  /** The button's words, e.g. "Yes, remove Ben Carter". */
  confirm: string;
  /** The way back's words, e.g. "No, keep them in the team"; it goes where `back` goes. */
  keep: string;
  pending: boolean;
  onConfirm: () => void;
  children: ReactNode;
}) {
  return (
    <>
      <BackLink to={back.to}>{back.label}</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={caption}>{question}</Heading>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              onConfirm();
            }}
          >
            {children}
            <div className="app-actions">
              <button
                className="nhsuk-button nhsuk-button--warning"
                type="submit"
                disabled={pending}
              >
                {confirm}
              </button>
              <Link className="nhsuk-link" to={back.to}>
                {keep}
              </Link>
            </div>
          </form>
        </div>
      </div>
    </>
  );
}
