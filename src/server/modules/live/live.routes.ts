import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, eq, gt } from 'drizzle-orm';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { requireSession } from '../../platform/http/authentication';
import { errorResponses } from '../../platform/http/routes';
import type { EventHub, LiveEvent } from '../../platform/realtime/events';
import { type LoadedConversation, loadConversation } from '../conversations/conversations.facts';
import { relationOf } from '../conversations/conversations.policy';
import type { Actor } from '../identity/actor';
import { membershipsOf, SESSION_IDLE_MS } from '../identity/identity.queries';
import { sessions } from '../identity/identity.schema';

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events for the signed-in user: "conversation X changed", nothing more. Every
 * event is re-authorised against the database as it is now — the session still open, the
 * user's team memberships as they are — so someone removed from a team hears nothing more.
 */
export function liveRoutes(deps: AppDeps, hub: EventHub): FastifyPluginAsyncTypebox {
  // The hub hands every subscriber the same event object: the conversation is loaded once
  // per event, however many people are listening. Who each subscriber is stays per person.
  const conversations = new WeakMap<LiveEvent, Promise<LoadedConversation | null>>();
  const conversationOf = (event: LiveEvent) => {
    let loading = conversations.get(event);
    if (!loading) {
      loading = loadConversation(deps.db, event.conversationId).catch(() => null);
      conversations.set(event, loading);
    }
    return loading;
  };

  async function verdict(
    session: { tokenHash: string; actor: Exclude<Actor, { kind: 'anonymous' }> },
    event: LiveEvent,
  ) {
    const now = deps.clock();
    const [open] = await deps.db
      .select({ lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, session.tokenHash), gt(sessions.expiresAt, now)));
    if (!open || open.lastSeenAt.getTime() + SESSION_IDLE_MS <= now.getTime())
      return 'end' as const;
    const actor: Actor =
      session.actor.kind === 'professional'
        ? {
            ...session.actor,
            memberships: await membershipsOf(deps.db, session.actor.professionalId),
          }
        : session.actor;
    const loaded = await conversationOf(event);
    if (!loaded) return 'skip' as const;
    if (
      event.teamId &&
      (actor.kind !== 'professional' || !actor.memberships.some((m) => m.teamId === event.teamId))
    ) {
      return 'skip' as const;
    }
    const relation = relationOf(actor, loaded.facts);
    return relation === 'participant' || relation === 'patient'
      ? ('send' as const)
      : ('skip' as const);
  }

  return async (app) => {
    app.get(
      '/events',
      {
        schema: {
          operationId: 'streamEvents',
          tags: ['live'],
          summary: 'Server-Sent Events: which conversations changed (ids only)',
          response: {
            200: Type.String({ description: 'text/event-stream' }),
            ...errorResponses(401),
          },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        void reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        out.write(': connected\n\n');
        const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
        const unsubscribe = hub.subscribe({
          authorise: (event) => verdict(session, event),
          send: (event) =>
            out.write(
              `event: ${event.type}\ndata: ${JSON.stringify({ conversationId: event.conversationId })}\n\n`,
            ),
          end: () => out.end(),
        });
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );
  };
}
