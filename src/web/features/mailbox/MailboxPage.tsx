import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import type { CapturedEmail } from '../../api/types';
import { TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { formatDateTime } from '../conversations/format';
import { useCapturedEmails } from './useMailbox';

const TITLE = 'Development mailbox';

/**
 * /dev/mailbox: the emails the demo would have sent, newest first. Exists only in demo
 * mode; elsewhere the API answers 404 and so does this page.
 */
export function MailboxPage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const to = params.get('to') ?? undefined;
  const cursor = params.get('cursor') ?? undefined;
  const [toChoice, setToChoice] = useState(to ?? '');
  const emails = useCapturedEmails(to, cursor);
  const flash = flashFrom(location.state);
  usePageTitle(TITLE);

  if (emails.isPending) return <Loading what="emails" />;
  if (emails.isError) return <LoadFailure error={emails.error} />;

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (toChoice.trim()) next.set('to', toChoice.trim());
    setParams(next);
  };
  const nextPage = new URLSearchParams(params);
  if (emails.data.nextCursor) nextPage.set('cursor', emails.data.nextCursor);
  const firstPage = new URLSearchParams(params);
  firstPage.delete('cursor');

  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading>{TITLE}</Heading>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          This is a demonstration of Carethread. Emails are not sent to anyone: they are kept here
          instead, newest first.
        </p>
      </div>

      <form className="app-inline-form" noValidate onSubmit={onFilter} aria-label="Filter emails">
        <TextInput
          id="to"
          label="Only emails to"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={toChoice}
          onChange={setToChoice}
          width="nhsuk-input--width-30"
        />
        <button
          className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
          type="submit"
        >
          Filter
        </button>
      </form>
      {to ? (
        <p className="nhsuk-body">
          Showing emails to {to} only. <Link to="?">Show all emails</Link>
        </p>
      ) : null}

      {emails.data.items.length === 0 ? (
        <p className="nhsuk-body">There are no emails{to ? ` to ${to}` : ''}.</p>
      ) : (
        <ol className="nhsuk-list app-emails" aria-label="Emails, newest first">
          {emails.data.items.map((email) => (
            <EmailItem key={email.id} email={email} />
          ))}
        </ol>
      )}

      {cursor || emails.data.nextCursor ? (
        <nav className="app-pager" aria-label="Pages">
          {cursor ? <Link to={`?${firstPage.toString()}`}>Newest emails</Link> : null}
          {emails.data.nextCursor ? <Link to={`?${nextPage.toString()}`}>Older emails</Link> : null}
        </nav>
      ) : null}

      {emails.data.items.length > 0 || cursor ? (
        <Link className="nhsuk-button nhsuk-button--warning" to="/dev/mailbox/clear">
          Clear mailbox
        </Link>
      ) : null}
    </>
  );
}

function EmailItem({ email }: { email: CapturedEmail }) {
  const headingId = `email-${email.id}`;
  return (
    <li className="app-email">
      <article aria-labelledby={headingId}>
        <h2 className="nhsuk-heading-s app-break-word" id={headingId}>
          {email.subject || '(no subject)'}
        </h2>
        <dl className="nhsuk-summary-list app-email__facts">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">To</dt>
            <dd className="nhsuk-summary-list__value app-break-word app-email__to">{email.to}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">From</dt>
            <dd className="nhsuk-summary-list__value app-break-word">{email.from}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Received</dt>
            <dd className="nhsuk-summary-list__value">
              <time dateTime={email.receivedAt}>{formatDateTime(email.receivedAt)}</time>
            </dd>
          </div>
        </dl>
        <pre className="app-email__body">{email.text}</pre>
      </article>
    </li>
  );
}
