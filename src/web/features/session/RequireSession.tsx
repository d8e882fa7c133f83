import { ApiError } from '../../api/client';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { LiveUpdates } from '../live/LiveUpdates';
import { VerifyIdentityPage } from '../conversations/VerifyIdentity';
import { SessionTimeout } from './SessionTimeout';
import { useSession } from './useSession';

const TOTP_SETUP_PATH = '/account/authenticator';

export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <LoadFailure error={session.error} />;
  if (!session.data) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  // Staff whose organisation requires an authenticator app set one up before anything else (C5).
  if (session.data.totpSetupRequired) {
    if (location.pathname === TOTP_SETUP_PATH) return <Outlet />;
    return (
      <Navigate
        to={TOTP_SETUP_PATH}
        replace
        state={{ from: location.pathname + location.search }}
      />
    );
  }
  return (
    <>
      <LiveUpdates user={session.data.user} />
      <SessionTimeout />
      <Outlet />
    </>
  );
}

/** Only coordinators configure teams; everyone else sees "page not found". */
export function RequireCoordinator() {
  const session = useSession();
  if (!session.data || session.data.user.coordinatorOf.length === 0) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  return <Outlet />;
}

/** Team inboxes, patient records and notification settings are staff pages; patients see "page not found". */
export function RequireStaff() {
  const session = useSession();
  if (session.data?.user.kind !== 'professional') {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  return <Outlet />;
}

/** Messages are for staff and for patients verified to P9 (C5); others are asked to verify. */
export function RequireMessaging() {
  const session = useSession();
  const user = session.data?.user;
  if (user?.kind === 'patient' && user.identityLevel !== 'P9') return <VerifyIdentityPage />;
  return <Outlet />;
}

/** Pages only a patient has, such as composing to contactable teams or their access log. */
export function RequirePatient() {
  const session = useSession();
  const user = session.data?.user;
  if (user?.kind !== 'patient') return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (user.identityLevel !== 'P9') return <VerifyIdentityPage />;
  return <Outlet />;
}
