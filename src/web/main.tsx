import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { leaveSignedOutNotice, signedOutNotice } from './features/account/signedOutNotice';
import { signedOutReasonNow } from './features/session/sessionTimeout';
import { sessionKey } from './features/session/useSession';
import { router } from './routes/router';
import './styles/main.scss';

// A 401 anywhere means the session has ended: forget it, and RequireSession sends the
// person to sign in, told why (whichever request heard of it first).
function onError(error: unknown) {
  if (
    error instanceof ApiError &&
    error.status === 401 &&
    error.code !== 'auth.invalid_credentials'
  ) {
    if (queryClient.getQueryData(sessionKey) && signedOutNotice() === null) {
      leaveSignedOutNotice(signedOutReasonNow());
    }
    queryClient.setQueryData(sessionKey, null);
  }
  // The organisation has just required an authenticator app: reload the session, and
  // RequireSession sends the person to set one up.
  if (error instanceof ApiError && error.code === 'auth.totp_setup_required') {
    void queryClient.invalidateQueries({ queryKey: sessionKey });
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
