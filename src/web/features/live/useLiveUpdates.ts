import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { getSession } from '../../api/endpoints';
import { conversationKeys, inboxKeys } from '../conversations/useConversations';
import { sessionKey } from '../session/useSession';

/** At most one announcement in this long, however busy the inbox is. */
const ANNOUNCE_GAP_MS = 10_000;
/** How long an announcement stays in the live region before it is emptied again. */
const ANNOUNCE_SHOW_MS = 4_000;
/** After the server refuses the stream, wait this long before asking again. */
const REOPEN_AFTER_MS = 30_000;
/** Changes this soon after the person's own action are theirs: refresh, but do not announce. */
const OWN_ACTION_MS = 3_000;

function conversationIdOf(data: unknown): string | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === 'object' && 'conversationId' in parsed) {
      const id = parsed.conversationId;
      return typeof id === 'string' && id ? id : null;
    }
  } catch {
    // A malformed event is ignored; the next one refreshes everything anyway.
  }
  return null;
}

/**
 * Listens to the server's event stream (one per signed-in user) and, when a conversation
 * the person takes part in changes, refreshes the team inboxes (every view and count), their
 * conversations and that thread, so nothing needs a reload. Reconnecting is EventSource's
 * own; the stream closes when the signed-in layout unmounts (sign-out).
 *
 * Returns a short, rate-limited message for a polite live region, or '' when quiet.
 */
export function useLiveUpdates(userId: string, message: string): string {
  const client = useQueryClient();
  const [announcement, setAnnouncement] = useState('');
  const lastAnnounced = useRef(0);
  const lastOwnAction = useRef(0);

  // The person's own sends and workflow actions (mutations marked ownConversationChange)
  // also change conversations; those are not news.
  useEffect(
    () =>
      client.getMutationCache().subscribe((event) => {
        if (event.type === 'updated' && event.mutation.meta?.changesConversation === true)
          lastOwnAction.current = Date.now();
      }),
    [client],
  );

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let opened = false;
    let stopped = false;
    let clearTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;

    const refreshLists = () => {
      void client.invalidateQueries({ queryKey: inboxKeys.all });
      void client.invalidateQueries({ queryKey: [...conversationKeys.all, 'mine'] });
      void client.invalidateQueries({ queryKey: [...conversationKeys.all, 'record'] });
    };

    const onChanged = (event: MessageEvent) => {
      const conversationId = conversationIdOf(event.data);
      refreshLists();
      if (conversationId) {
        void client.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) });
      }

      const now = Date.now();
      if (now - lastOwnAction.current < OWN_ACTION_MS) return;
      if (now - lastAnnounced.current < ANNOUNCE_GAP_MS) return;
      lastAnnounced.current = now;
      setAnnouncement(message);
      clearTimeout(clearTimer);
      clearTimer = setTimeout(() => setAnnouncement(''), ANNOUNCE_SHOW_MS);
    };

    // Back after a dropped connection: whatever changed meanwhile was not heard, so refresh.
    const onOpen = () => {
      if (opened) {
        refreshLists();
        void client.invalidateQueries({ queryKey: [...conversationKeys.all, 'detail'] });
      }
      opened = true;
    };

    // EventSource retries dropped connections itself, but gives up on an error answer (the
    // session ended, the server restarting). If the session has ended, forget it, which sends
    // the person to sign in; otherwise try again a little later.
    const onError = () => {
      if (source?.readyState !== EventSource.CLOSED) return;
      close();
      getSession().then(
        (session) => {
          if (session) reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
          else if (!stopped) client.setQueryData(sessionKey, null);
        },
        () => {
          reopenTimer = setTimeout(open, REOPEN_AFTER_MS);
        },
      );
    };

    function open() {
      if (stopped) return;
      source = new EventSource('/api/v1/events');
      source.addEventListener('conversation.changed', onChanged);
      source.addEventListener('open', onOpen);
      source.addEventListener('error', onError);
    }

    function close() {
      if (!source) return;
      source.removeEventListener('conversation.changed', onChanged);
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      source.close();
      source = null;
    }

    open();
    return () => {
      stopped = true;
      close();
      clearTimeout(clearTimer);
      clearTimeout(reopenTimer);
    };
  }, [client, userId, message]);

  return announcement;
}
