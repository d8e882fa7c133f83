import { and, eq, lte } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import type { ConversationFacts } from '../conversations/conversations.policy';
import type { Actor, PatientActor } from '../identity/actor';
import { endOfPeriod } from './consent.presenters';
import { type CarerLevel, carerConsents } from './consent.schema';

/** A carer's access to one patient that has come to an end: its level, and when it ended. */
export interface EndedCare {
  carer: PatientActor;
  level: CarerLevel;
  endedAt: Date;
}

/**
 * The answer to a former carer who opens one conversation, appointment or document of the
 * person they cared for (C1): still 404 — the thing is not theirs to see — but with its own
 * code, so the app can say what has happened instead of "Page not found". Given only to someone
 * who would see the thing if their access had not ended (see `endedCareOf`), so nobody learns
 * from it that something exists which they could not have seen anyway.
 */
export const carerAccessEnded = () =>
  new AppError(
    404,
    'carer.access_ended',
    'Access ended',
    'Your access as a carer for this person has ended.',
  );

export const isCarerAccessEnded = (error: unknown) =>
  error instanceof AppError && error.code === 'carer.access_ended';

/**
 * How the actor's care for this patient ended, when it has: they had a consent that was in
 * force at some time before `at`, and none is in force at `at`. Null for everyone else — the
 * patient themselves, staff, someone who never cared for them, a carer whose consent is in
 * force (refused for another reason, such as a conversation private from carers) or has not
 * started yet. A consent stopped before its start was never in force and does not count.
 */
export async function endedCareOf(
  db: Database | Tx,
  actor: Actor,
  patientId: string,
  at: Date,
): Promise<EndedCare | null> {
  if (actor.kind !== 'patient' || actor.patientId === patientId) return null;
  const rows = await db
    .select({
      level: carerConsents.level,
      startsAt: carerConsents.startsAt,
      endsAt: carerConsents.endsAt,
      revokedAt: carerConsents.revokedAt,
    })
    .from(carerConsents)
    .where(
      and(
        eq(carerConsents.patientId, patientId),
        eq(carerConsents.carerUserId, actor.userId),
        lte(carerConsents.startsAt, at),
      ),
    );
  let latest: EndedCare | null = null;
  for (const row of rows) {
    const endedAt = endOfPeriod(row.startsAt, [row.revokedAt, row.endsAt]);
    // In force now: whatever refused them, it was not the end of their care.
    if (endedAt === null || endedAt.getTime() > at.getTime()) return null;
    // Ended as it began: it lasted no time.
    if (endedAt.getTime() === row.startsAt.getTime()) continue;
    if (!latest || endedAt.getTime() > latest.endedAt.getTime()) {
      latest = { carer: actor, level: row.level, endedAt };
    }
  }
  return latest;
}

/**
 * Whether the actor is a former carer of the thing's patient who would see it had their care
 * not ended (C1): it was in the record before their care ended, and `wouldSee` — the thing's
 * policy, asked with their consent as it stood — lets them. False for everyone else.
 */
export async function formerCarerWouldSee(
  db: Database | Tx,
  actor: Actor,
  thing: { patientId: string; createdAt: Date },
  at: Date,
  wouldSee: (care: EndedCare) => boolean | Promise<boolean>,
): Promise<boolean> {
  const care = await endedCareOf(db, actor, thing.patientId, at);
  return (
    care !== null && thing.createdAt.getTime() < care.endedAt.getTime() && (await wouldSee(care))
  );
}

/**
 * The conversation or record facts as they would be had the carer's consent not ended, at
 * the same moment: what the policy says then is whether the end of their care is all that
 * stands between them and the thing (a conversation private from carers stays hidden).
 */
export function withCareInForce(facts: ConversationFacts, care: EndedCare): ConversationFacts {
  return {
    ...facts,
    carerConsents: [
      ...(facts.carerConsents ?? []),
      {
        carerUserId: care.carer.userId,
        level: care.level,
        startsAt: care.endedAt,
        endsAt: null,
        revokedAt: null,
      },
    ],
  };
}
