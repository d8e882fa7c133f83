import { ApiError } from '../../api/client';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Loading } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useSession } from './useSession';

export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <LoadFailure error={session.error} />;
  if (!session.data) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <Outlet />;
}

/** Only coordinators configure teams; everyone else sees "page not found". */
export function RequireCoordinator() {
  const session = useSession();
  if (!session.data || session.data.user.coordinatorOf.length === 0) {
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  }
  return <Outlet />;
}
