import { Link, useLocation, useNavigate } from 'react-router';
import type { SessionUser } from '../api/types';
import { SIGN_OUT_STATE } from '../features/session/SigningOutPage';
import { currentMenuLink, menuFrom } from './menu';

function NhsLogo() {
  return (
    <svg
      className="nhsuk-header__logo"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 200 80"
      height="40"
      width="100"
      focusable="false"
      aria-hidden="true"
    >
      <path
        fill="currentcolor"
        d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
      />
    </svg>
  );
}

export function Header({ user }: { user: SessionUser | null }) {
  const navigate = useNavigate();
  const location = useLocation();
  const links: { to: string; label: string }[] = [];
  if (user) {
    links.push({ to: '/', label: 'Home' });
    if (user.kind === 'professional') {
      if (user.memberships.length > 0) links.push({ to: '/inbox', label: 'Team inbox' });
      links.push({ to: '/conversations', label: 'My conversations' });
      links.push({ to: '/patients/find', label: 'Find a patient' });
      if (user.coordinatorOf.length > 0) links.push({ to: '/teams', label: 'Teams' });
      links.push({ to: '/break-glass', label: 'Emergency access' });
      if (user.coordinatorOf.length > 0)
        links.push({ to: '/break-glass/review', label: 'Review emergency access' });
    }
    if (user.kind === 'patient' && user.identityLevel === 'P9') {
      links.push({ to: '/appointments', label: 'Appointments' });
      links.push({ to: '/documents', label: 'Documents' });
    }
  }

  const current = currentMenuLink(
    links.map((link) => link.to),
    location.pathname,
    menuFrom(location.state),
  );

  return (
    <header className="nhsuk-header" role="banner">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-logo" to="/" aria-label="Carethread homepage">
            <NhsLogo />
            <span className="nhsuk-header__service-name">Carethread</span>
          </Link>
        </div>
        {user ? (
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              <li className="nhsuk-header__account-item">
                <span className="nhsuk-u-visually-hidden">Signed in as </span>
                {user.displayName}
              </li>
              {user.kind === 'professional' ? (
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/settings/notifications">
                    Email notifications
                  </Link>
                </li>
              ) : null}
              <li className="nhsuk-header__account-item">
                <Link className="nhsuk-header__account-link" to="/account">
                  Account
                </Link>
              </li>
              <li className="nhsuk-header__account-item">
                <form
                  className="nhsuk-header__account-form"
                  method="post"
                  noValidate
                  onSubmit={(event) => {
                    event.preventDefault();
                    // A page with unsent text asks first; the session ends there.
                    void navigate('/signing-out', { state: SIGN_OUT_STATE });
                  }}
                >
                  <button className="nhsuk-header__account-button" type="submit">
                    Sign out
                  </button>
                </form>
              </li>
            </ul>
          </nav>
        ) : null}
      </div>
      {links.length > 1 ? (
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {links.map((link) => {
                const here = current?.to === link.to ? current : null;
                return (
                  <li
                    className={`nhsuk-header__navigation-item${here ? ' nhsuk-header__navigation-item--current' : ''}`}
                    key={link.to}
                  >
                    <Link
                      className="nhsuk-header__navigation-link"
                      to={link.to}
                      // "page" on the page itself; "true" within its section (NHS.UK header).
                      aria-current={here ? (here.page ? 'page' : 'true') : undefined}
                    >
                      {here ? (
                        <strong className="nhsuk-header__navigation-item-current-fallback">
                          {link.label}
                        </strong>
                      ) : (
                        link.label
                      )}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        </nav>
      ) : null}
    </header>
  );
}
