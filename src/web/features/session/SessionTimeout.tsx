import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { getSession, getSessionExpiry } from '../../api/endpoints';
import { leaveSignedOutNotice } from '../account/signedOutNotice';
import {
  ACTIVITY_KEEPS_ALIVE_EVERY_MS,
  CHECK_EVERY_MS,
  sessionDeadline,
  timeLeftWords,
  WARN_BEFORE_MS,
} from './sessionTimeout';
import { sessionKey, useSignOut } from './useSession';

const TIMED_OUT =
  'We signed you out because you had not used Carethread for 30 minutes. Sign in again to carry on.';

/**
 * Signed-in pages end their session after 30 minutes without activity (the server decides).
 * Typing or clicking in the page counts as activity; two minutes before the end, a dialog
 * says so and offers to stay signed in; at the end the person is taken to sign in, told why.
 */
export function SessionTimeout() {
  const client = useQueryClient();
  const signOut = useSignOut();
  const dialog = useRef<HTMLDialogElement>(null);
  const lastActivity = useRef(0);
  const lastKeptAlive = useRef(Date.now());
  const deadline = useRef<{ endsAt: number; canExtend: boolean } | null>(null);
  const [left, setLeft] = useState<number | null>(null);
  const [canExtend, setCanExtend] = useState(true);

  const timedOut = useCallback(() => {
    leaveSignedOutNotice(TIMED_OUT);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    client.setQueryData(sessionKey, null);
  }, [client]);

  /** Recounts from the deadline: shows the warning inside its window, signs out at the end. */
  const tick = useCallback(() => {
    const known = deadline.current;
    if (!known) return;
    const remaining = known.endsAt - Date.now();
    if (remaining <= 0) return timedOut();
    setCanExtend(known.canExtend);
    setLeft(remaining <= WARN_BEFORE_MS ? remaining : null);
  }, [timedOut]);

  const check = useCallback(async () => {
    try {
      const now = Date.now();
      const active = lastActivity.current > lastKeptAlive.current;
      if (active && now - lastKeptAlive.current >= ACTIVITY_KEEPS_ALIVE_EVERY_MS) {
        lastKeptAlive.current = now;
        if (!(await getSession())) return timedOut();
      }
      const expiry = await getSessionExpiry();
      if (!expiry) return timedOut();
      deadline.current = sessionDeadline(expiry, Date.now());
      tick();
    } catch {
      // Not reachable just now: count on from what is known, and ask again next time.
      tick();
    }
  }, [tick, timedOut]);

  useEffect(() => {
    const onActivity = () => {
      lastActivity.current = Date.now();
    };
    const options = { capture: true, passive: true };
    window.addEventListener('keydown', onActivity, options);
    window.addEventListener('pointerdown', onActivity, options);
    void check();
    const checking = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => {
      window.removeEventListener('keydown', onActivity, options);
      window.removeEventListener('pointerdown', onActivity, options);
      clearInterval(checking);
    };
  }, [check]);

  // While the warning shows, the time left counts down every second.
  const warning = left !== null;
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (warning && !element.open) element.showModal();
    if (!warning && element.open) element.close();
    if (!warning) return;
    const counting = setInterval(tick, 1000);
    return () => clearInterval(counting);
  }, [warning, tick]);

  const stay = async () => {
    lastKeptAlive.current = Date.now();
    if (!(await getSession().catch(() => undefined))) return timedOut();
    await check();
  };

  return (
    <dialog
      ref={dialog}
      className="app-session-timeout"
      aria-labelledby="session-timeout-title"
      aria-describedby="session-timeout-text"
      onCancel={(event) => {
        // Escape means "not now": the same as staying signed in, when that is possible.
        event.preventDefault();
        if (canExtend) void stay();
      }}
    >
      <h2 className="nhsuk-heading-m" id="session-timeout-title">
        You’ll be signed out soon
      </h2>
      <p className="nhsuk-body" id="session-timeout-text">
        {canExtend
          ? `To keep your information safe, we’ll sign you out in ${timeLeftWords(left ?? 0)} because you have not used Carethread for a while.`
          : `You have been signed in for 12 hours, the longest we allow. We’ll sign you out in ${timeLeftWords(left ?? 0)}: save anything you are writing somewhere else, then sign in again.`}
      </p>
      <div className="app-actions">
        {canExtend ? (
          <button className="nhsuk-button" type="button" onClick={() => void stay()}>
            Stay signed in
          </button>
        ) : null}
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
