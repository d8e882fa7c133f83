import type { SessionUser } from '../../api/types';
import { useLiveUpdates } from './useLiveUpdates';

/**
 * Keeps inboxes, lists and open threads up to date while someone is signed in, and tells
 * screen reader users — politely, and not more than once every few seconds — that
 * something new has arrived.
 */
export function LiveUpdates({ user }: { user: SessionUser }) {
  const message =
    user.kind === 'professional' ? 'New activity in your inbox' : 'New activity in your messages';
  const announcement = useLiveUpdates(user.id, message);
  return (
    <div className="nhsuk-u-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {announcement}
    </div>
  );
}
