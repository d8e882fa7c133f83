import { Link, useNavigate } from 'react-router';
import type { SessionUser } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { leaveSignedOutNotice } from './signedOutNotice';
import { useSignOutEverywhere, useTotpStatus } from './useAccount';

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' });

/** /account: the person's sign-in security, and "Sign out of all devices". */
export function AccountPage() {
  const user = useUser();
  const errors = useFormErrors();
  usePageTitle('Your account', errors.hasErrors);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
        <Heading caption={user.displayName}>Your account</Heading>
        {user.kind === 'professional' ? <AuthenticatorSection /> : null}
        {user.coordinatorOf.length > 0 ? <CoordinatedOrganisations user={user} /> : null}
        <SignOutEverywhere onError={(error) => errors.showApiError(error, () => null)} />
      </div>
    </div>
  );
}

function AuthenticatorSection() {
  const status = useTotpStatus();
  return (
    <>
      <h2 className="nhsuk-heading-m">Authenticator app</h2>
      {status.isPending ? (
        <Loading what="your sign-in settings" />
      ) : status.isError ? (
        <SectionLoadFailure error={status.error} what="your sign-in settings" />
      ) : status.data.enabled ? (
        <p className="nhsuk-body">
          Your authenticator app is set up
          {status.data.enabledAt
            ? ` (since ${dateFormat.format(new Date(status.data.enabledAt))})`
            : ''}
          . When you sign in with your password we ask for a code from it. You have{' '}
          {status.data.recoveryCodesRemaining} unused recovery{' '}
          {status.data.recoveryCodesRemaining === 1 ? 'code' : 'codes'}.
        </p>
      ) : (
        <>
          <p className="nhsuk-body">
            You sign in with a password only. An authenticator app on your phone adds a code that
            changes every 30 seconds, so your password alone is not enough to get in.
          </p>
          <p className="nhsuk-body">
            <Link to="/account/authenticator">Set up an authenticator app</Link>
          </p>
        </>
      )}
    </>
  );
}

function CoordinatedOrganisations({ user }: { user: SessionUser }) {
  return (
    <>
      <h2 className="nhsuk-heading-m">Organisations you coordinate</h2>
      <ul className="nhsuk-list">
        {user.coordinatorOf.map((organisation) => (
          <li key={organisation.id}>
            <Link to={`/organisations/${organisation.id}/settings`}>
              Sign-in settings<span className="nhsuk-u-visually-hidden"> for</span>
              {` – ${organisation.name}`}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

function SignOutEverywhere({ onError }: { onError: (error: unknown) => void }) {
  const signOut = useSignOutEverywhere();
  const navigate = useNavigate();
  return (
    <>
      <h2 className="nhsuk-heading-m">Sign out of all devices</h2>
      <p className="nhsuk-body">
        This signs you out of Carethread everywhere you are signed in, including here. Use it if you
        have lost a phone or computer, or signed in on one that other people use.
      </p>
      <button
        className="nhsuk-button nhsuk-button--secondary"
        type="button"
        disabled={signOut.isPending}
        onClick={() => {
          signOut.mutateAsync().then(() => {
            leaveSignedOutNotice('You have been signed out of all devices');
            signOut.forgetSession();
            void navigate('/sign-in', { replace: true });
          }, onError);
        }}
      >
        Sign out of all devices
      </button>
    </>
  );
}
