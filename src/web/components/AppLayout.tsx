import { Link, Outlet } from 'react-router';
import { useMailboxAvailable } from '../features/mailbox/useMailbox';
import { useSession } from '../features/session/useSession';
import { Header } from './Header';

export function AppLayout() {
  const session = useSession();
  const user = session.data?.user ?? null;
  // The mailbox API answers only signed-in people, and only in demo mode (404 elsewhere).
  const mailbox = useMailboxAvailable(user !== null);
  return (
    <>
      <a
        className="nhsuk-skip-link"
        href="#maincontent"
        onClick={(event) => {
          // Focus main directly: a hash change would count as a route change.
          event.preventDefault();
          document.getElementById('maincontent')?.focus();
        }}
      >
        Skip to main content
      </a>
      <Header user={user} />
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper app-main" id="maincontent" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <footer role="contentinfo">
        <div className="nhsuk-footer">
          <div className="nhsuk-width-container">
            {user && mailbox.available ? (
              <ul className="nhsuk-footer__list">
                <li className="nhsuk-footer__list-item">
                  <Link className="nhsuk-footer__list-item-link" to="/dev/mailbox">
                    Development mailbox
                  </Link>
                </li>
              </ul>
            ) : null}
            <p className="nhsuk-body-s">
              Carethread — secure messaging for NHS patients, carers and care teams
            </p>
          </div>
        </div>
      </footer>
    </>
  );
}
