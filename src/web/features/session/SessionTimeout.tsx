import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isBackground, listenForInteraction } from '../../api/activity';
import { getSession, getSessionExpiry } from '../../api/endpoints';
import { leaveSignedOutNotice } from '../account/signedOutNotice';
import {
  ACTIVITY_KEEPS_ALIVE_EVERY_MS,
  CHECK_EVERY_MS,
  rememberDeadline,
  sessionDeadline,
  signedOutReason,
  timeLeftWords,
  WARN_BEFORE_MS,
} from './sessionTimeout';
import { sessionKey, useSignOut } from './useSession';

type Deadline = ReturnType<typeof sessionDeadline>;

/**
 * Signed-in pages end their session after 30 minutes without activity (the server decides;
 * the page's own background refreshes do not count). Typing or clicking in the page counts;
 * two minutes before the end a dialog says so and offers to stay signed in (WCAG 2.2.1); at
 * the end the person is taken to sign in and told why.
 */
export function SessionTimeout() {
  const client = useQueryClient();
  const signOut = useSignOut();
  const dialog = useRef<HTMLDialogElement>(null);
  const lastKeptAlive = useRef(Date.now());
  const deadline = useRef<Deadline | null>(null);
  const checking = useRef(false);
  // The 12-hour end cannot be put off: once the warning is read, it is not shown again.
  const longestDismissed = useRef(false);
  const [left, setLeft] = useState<number | null>(null);
  const [canExtend, setCanExtend] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);

  const timedOut = useCallback(() => {
    leaveSignedOutNotice(signedOutReason(deadline.current, Date.now()));
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    client.setQueryData(sessionKey, null);
  }, [client]);

  /** Shows the warning inside its window, from what is known; the time left, if known. */
  const show = useCallback((): number | null => {
    const known = deadline.current;
    if (!known) return null;
    const remaining = known.endsAt - Date.now();
    const warn = remaining <= WARN_BEFORE_MS && (known.canExtend || !longestDismissed.current);
    setCanExtend(known.canExtend);
    setLeft(warn ? Math.max(0, remaining) : null);
    return remaining;
  }, []);

  /** Asks the server how long is left (one question at a time); a 401 means it has ended. */
  const check = useCallback(async () => {
    if (checking.current) return;
    checking.current = true;
    try {
      const now = Date.now();
      // Typing in the last minute and nothing said for 5: the page says the person is here.
      if (!isBackground(now) && now - lastKeptAlive.current >= ACTIVITY_KEEPS_ALIVE_EVERY_MS) {
        lastKeptAlive.current = now;
        if ((await getSession()) === null) return timedOut();
      }
      const expiry = await getSessionExpiry();
      if (!expiry) return timedOut();
      deadline.current = sessionDeadline(expiry, Date.now());
      rememberDeadline(deadline.current);
    } catch {
      // Not reachable just now: count on from what is known, and ask again next time.
    } finally {
      checking.current = false;
    }
    show();
  }, [show, timedOut]);

  useEffect(() => {
    listenForInteraction();
    void check();
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [check]);

  // While the warning shows, the time left counts down every second; at the end the server
  // is asked once more (another tab may have kept the session) before anyone is signed out.
  const warning = left !== null;
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (warning && !element.open) element.showModal();
    if (!warning && element.open) element.close();
    if (!warning) return;
    const timer = setInterval(() => {
      const remaining = show();
      if (remaining !== null && remaining <= 0) void check();
    }, 1000);
    return () => clearInterval(timer);
  }, [warning, show, check]);

  const stay = async () => {
    setProblem(null);
    try {
      lastKeptAlive.current = Date.now();
      if ((await getSession()) === null) return timedOut();
      await check();
    } catch {
      setProblem('Carethread could not be reached. Check your connection, then try again.');
    }
  };

  const carryOn = () => {
    longestDismissed.current = true;
    show();
  };

  // Escape, or the browser closing the dialog, means "not now".
  const dismiss = () => (canExtend ? void stay() : carryOn());
  const seconds = timeLeftWords(left ?? 0);

  return (
    <dialog
      ref={dialog}
      className="app-session-timeout"
      aria-labelledby="session-timeout-title"
      aria-describedby="session-timeout-text"
      onCancel={(event) => {
        event.preventDefault();
        dismiss();
      }}
      onClose={() => {
        // Closed by the browser (a second Escape), not by this component hiding the warning.
        if (warning) dismiss();
      }}
    >
      <h2 className="nhsuk-heading-m" id="session-timeout-title">
        You’ll be signed out soon
      </h2>
      <p className="nhsuk-body" id="session-timeout-text">
        {canExtend
          ? `To keep your information safe, we’ll sign you out in ${seconds} because you have not used Carethread for a while.`
          : `You have been signed in for 12 hours, the longest we allow, so we’ll sign you out in ${seconds}. Copy anything you are writing somewhere safe before then.`}
      </p>
      {problem ? (
        <p className="nhsuk-error-message" role="alert">
          <span className="nhsuk-u-visually-hidden">Error:</span> {problem}
        </p>
      ) : null}
      <div className="app-actions">
        {canExtend ? (
          <button className="nhsuk-button" type="button" onClick={() => void stay()}>
            Stay signed in
          </button>
        ) : (
          <button className="nhsuk-button" type="button" onClick={carryOn}>
            Continue
          </button>
        )}
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          onClick={() => signOut.mutate()}
        >
          Sign out
        </button>
      </div>
    </dialog>
  );
}
