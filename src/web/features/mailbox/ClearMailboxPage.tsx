import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useClearMailbox, useMailboxAvailable } from './useMailbox';

/** /dev/mailbox/clear: asks before deleting every captured email. */
export function ClearMailboxPage() {
  const clear = useClearMailbox();
  const navigate = useNavigate();
  const errors = useFormErrors();
  const mailbox = useMailboxAvailable();
  usePageTitle('Clear the development mailbox', errors.hasErrors);

  if (mailbox.pending) return <Loading />;
  if (!mailbox.available) return <LoadFailure error={new ApiError({ status: 404 })} />;

  return (
    <>
      <BackLink to="/dev/mailbox">Back to the development mailbox</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption="Development mailbox">
            Are you sure you want to delete every email in the mailbox?
          </Heading>
          <p className="nhsuk-body">
            This deletes the emails for everyone using this demonstration. It cannot be undone.
            Messages in Carethread are not affected.
          </p>
          <div className="app-actions">
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="button"
              disabled={clear.isPending}
              onClick={() =>
                clear.mutate(undefined, {
                  onSuccess: () =>
                    void navigate('/dev/mailbox', {
                      replace: true,
                      state: { flash: 'The development mailbox has been cleared' },
                    }),
                  onError: (error) => errors.showApiError(error, () => null),
                })
              }
            >
              Yes, delete every email
            </button>
            <Link className="nhsuk-link" to="/dev/mailbox">
              No, keep the emails
            </Link>
          </div>
        </div>
      </div>
    </>
  );
}
