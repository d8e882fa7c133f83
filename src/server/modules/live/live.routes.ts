import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, eq, gt } from 'drizzle-orm';
import Type from 'typebox';
import type { AppDeps } from '../../platform/deps';
import { requireSession } from '../../platform/http/authentication';
import { errorResponses } from '../../platform/http/routes';
import type { EventHub, LiveEvent } from '../../platform/realtime/events';
import { type LoadedConversation, loadConversation } from '../conversations/conversations.facts';
import { caredForPatientIds } from '../consent/consent.queries';
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
      loading = loadConversation(deps.db, event.conversationId, false, deps.clock()).catch(
        () => null,
      );
      conversations.set(event, loading);
    }
    return loading;
  };

  /**
   * Whether someone who subscribed as a carer has lost a consent since (C1): their stream
   * then ends, and the browser's reconnect starts afresh with what they may see now.
   */
  async function consentLost(userId: string, caredFor: readonly string[]): Promise<boolean> {
    if (caredFor.length === 0) return false;
    const now = await caredForPatientIds(deps.db, userId, deps.clock());
    return caredFor.some((id) => !now.includes(id));
  }

  async function verdict(
    session: { tokenHash: string; actor: Exclude<Actor, { kind: 'anonymous' }> },
    caredFor: readonly string[],
    event: LiveEvent,
  ) {
    const now = deps.clock();
    const [open] = await deps.db
      .select({ lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(and(eq(sessions.tokenHash, session.tokenHash), gt(sessions.expiresAt, now)));
    if (!open || open.lastSeenAt.getTime() + SESSION_IDLE_MS <= now.getTime())
      return 'end' as const;
    if (await consentLost(session.actor.userId, caredFor)) return 'end' as const;
    const actor: Actor =
      session.actor.kind === 'professional'
        ? {
            ...session.actor,
            memberships: await membershipsOf(deps.db, session.actor.professionalId),
          }
        : session.actor;
    const loaded = await conversationOf(event);
    if (!loaded) return 'skip' as const;
    const relation = relationOf(actor, loaded.facts);
    if (event.teamId) {
      if (
        actor.kind !== 'professional' ||
        !actor.memberships.some((m) => m.teamId === event.teamId)
      )
        return 'skip' as const;
      // A team's own news reaches its members even when it is the news that the team was just
      // taken out: a thread left open must stop offering them work they can no longer do.
      // They still read what they saw (M3), so they hear nothing they could not read.
      return relation === 'none' ? ('skip' as const) : ('send' as const);
    }
    return relation === 'participant' || relation === 'patient' || relation === 'carer'
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
        const caredFor =
          session.actor.kind === 'patient'
            ? await caredForPatientIds(deps.db, session.actor.userId, deps.clock())
            : [];
        void reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        out.write(': connected\n\n');
        let ended = false;
        const heartbeat = setInterval(() => {
          // Between events too, a carer whose consent went is cut off at the next beat (C1).
          consentLost(session.actor.userId, caredFor)
            .then((lost) => {
              if (lost && !ended) out.end();
              else out.write(': keep-alive\n\n');
            })
            .catch(() => out.end());
        }, HEARTBEAT_MS);
        const unsubscribe = hub.subscribe({
          authorise: (event) => verdict(session, caredFor, event),
          send: (event) =>
            out.write(
              `event: ${event.type}\ndata: ${JSON.stringify({ conversationId: event.conversationId })}\n\n`,
            ),
          end: () => out.end(),
        });
        request.raw.on('close', () => {
          ended = true;
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );
  };
}
