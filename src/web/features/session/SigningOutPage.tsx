import { useEffect, useRef } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Heading, usePageTitle } from '../../components/Page';
import { useSignOut } from './useSession';

/** The history state the header's "Sign out" goes here with. */
export const SIGN_OUT_STATE = { signOut: true } as const;

/**
 * Where the header's "Sign out" goes before the session ends. Going here is a move to another
 * page, so a message form with unsent text asks first (`useUnsentWarning`); only once the
 * person has chosen to leave is the session ended. A link from elsewhere carries no history
 * state, so it cannot sign anyone out: it goes home.
 */
export function SigningOutPage() {
  usePageTitle('Signing out');
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const asked = (location.state as { signOut?: boolean } | null)?.signOut === true;
  const started = useRef(false);

  useEffect(() => {
    if (!asked || started.current) return;
    started.current = true;
    signOut.mutate(undefined, {
      onSettled: () => void navigate('/sign-in', { replace: true }),
    });
  }, [asked, navigate, signOut]);

  if (!asked) return <Navigate to="/" replace />;
  return <Heading>Signing out</Heading>;
}
