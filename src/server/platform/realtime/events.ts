import type { Tx } from '../db/database';
import { notifyOnCommit } from '../db/on-commit';

export const EVENTS_CHANNEL = 'carethread_events';

/** What a live client is told: which conversation changed, never what changed in it. */
export interface LiveEvent {
  type: 'conversation.changed';
  conversationId: string;
  /**
   * Set when only one team is told: its work changed (assigned, unassigned, archived,
   * reopened), so nobody else learns when a team claims or completes a conversation (W2); or
   * it was just taken out of the conversation, so its members, who no longer take part, still
   * hear of it (conversations.participation.ts). Only that team's members who can still read
   * the conversation are told (live.routes.ts).
   */
  teamId?: string;
}

/**
 * Announces a change to every app instance once the transaction commits (PostgreSQL
 * LISTEN/NOTIFY; PGlite's in embedded mode). Rolled-back changes announce nothing.
 */
export async function publish(tx: Tx, event: LiveEvent): Promise<void> {
  await notifyOnCommit(tx, EVENTS_CHANNEL, JSON.stringify(event));
}

export function parseEvent(payload: string): LiveEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<LiveEvent>;
    if (value.type === 'conversation.changed' && typeof value.conversationId === 'string') {
      const event: LiveEvent = { type: value.type, conversationId: value.conversationId };
      if (typeof value.teamId === 'string') event.teamId = value.teamId;
      return event;
    }
  } catch {
    // not ours
  }
  return null;
}

export interface Subscriber {
  /** Decides, afresh for every event, whether this subscriber may hear of it. */
  authorise(event: LiveEvent): Promise<'send' | 'skip' | 'end'>;
  send(event: LiveEvent): void;
  end(): void;
}

/** The live clients of this instance. Access is re-checked per event, never cached. */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  async dispatch(payload: string): Promise<void> {
    const event = parseEvent(payload);
    if (!event) return;
    await Promise.all(
      [...this.subscribers].map(async (subscriber) => {
        try {
          const verdict = await subscriber.authorise(event);
          if (verdict === 'send') subscriber.send(event);
          if (verdict === 'end') {
            this.subscribers.delete(subscriber);
            subscriber.end();
          }
        } catch {
          this.subscribers.delete(subscriber);
          subscriber.end();
        }
      }),
    );
  }

  endAll(): void {
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
  }
}
