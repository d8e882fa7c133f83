import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { useBlocker, type Blocker, type BlockerFunction } from 'react-router';
import { sessionKey } from '../features/session/useSession';
import { shouldAskBeforeLeaving } from './unsentText';

export interface UnsentWarning {
  /** For `<LeaveDialog>`: a move to another page held until the person answers. */
  blocker: Blocker;
  /** Call once the message is sent, before going to its thread: nothing is lost by leaving. */
  markSent: () => void;
}

/**
 * Asks before a message form's unsent text is lost: moving to another page in the app is held
 * for `<LeaveDialog>`, and closing or reloading the tab gets the browser's own question.
 * `unsent` comes from `hasUnsentText`.
 */
export function useUnsentWarning(unsent: boolean): UnsentWarning {
  const client = useQueryClient();
  // Read when a move starts, which may be before the next render: a send's success handler
  // goes to the thread straight away, while the form still holds the sent text.
  const latest = useRef({ unsent, sent: false });
  useLayoutEffect(() => {
    latest.current.unsent = unsent;
  }, [unsent]);

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      shouldAskBeforeLeaving({
        ...latest.current,
        // At the end of a session the page is on its way to sign in: let it go.
        signedIn: !!client.getQueryData(sessionKey),
        from: currentLocation.pathname,
        to: nextLocation.pathname,
      }),
    [client],
  );
  const blocker = useBlocker(shouldBlock);

  useEffect(() => {
    if (!unsent) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!latest.current.sent) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsent]);

  const markSent = useCallback(() => {
    latest.current.sent = true;
  }, []);
  return { blocker, markSent };
}
