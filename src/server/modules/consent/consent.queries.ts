import { and, desc, eq, gt, isNotNull, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Database, type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { forbidden } from '../../platform/http/problem';
import { conversations } from '../conversations/conversations.schema';
import {
  addressedProfessionals,
  participatingTeams,
} from '../conversations/conversations.addressees';
import { lastReadSeq } from '../conversations/conversations.queries';
import { listMyRecipients } from '../conversations/conversations.recipients';
import {
  auditContextFor,
  type Actor,
  type PatientActor,
  type RequestFacts,
} from '../identity/actor';
import { users } from '../identity/identity.schema';
import { requireVerifiedActor } from '../identity/verification';
import { patients } from '../patients/patients.schema';
import { asCarer, invitationWaitingAt, patientNotFound } from './consent.commands';
import { canOnInvitation } from './consent.policy';
import { presentConsent, presentInvitation } from './consent.presenters';
import { recordAccessOf } from './consent.record-access';
import { carerConsents, carerInvitations, privateConversations } from './consent.schema';

type Reader = Database | Tx;

const patientsOnly = () => forbidden('carer.patients_only', 'This is for patients and carers.');

function requirePatient(actor: Actor): PatientActor {
  const reader = requireVerifiedActor(actor);
  if (reader.kind !== 'patient') throw patientsOnly();
  return reader;
}

/** Consents in force at `at` (C1): started, not ended, not revoked. */
export const consentActiveAt = (at: Date) =>
  and(
    isNull(carerConsents.revokedAt),
    lte(carerConsents.startsAt, at),
    or(isNull(carerConsents.endsAt), gt(carerConsents.endsAt, at)),
  );

/** The patient's carers (every consent, newest first) and invitations still waiting. */
export async function listMyCarers(deps: AppDeps, actor: Actor) {
  const patient = requirePatient(actor);
  const now = deps.clock();
  const invitations = await deps.db
    .select()
    .from(carerInvitations)
    .where(and(eq(carerInvitations.patientId, patient.patientId), invitationWaitingAt(now)))
    .orderBy(desc(carerInvitations.createdAt));
  return {
    invitations: invitations.map(presentInvitation),
    carers: await carersOf(deps.db, patient.patientId, now),
  };
}

/**
 * The patient's carers by name, newest first: every consent, or with `inForceOnly` those in
 * force at `now` (C1).
 */
async function carersOf(db: Reader, patientId: string, now: Date, inForceOnly = false) {
  const rows = await db
    .select({
      consent: carerConsents,
      givenName: patients.givenName,
      familyName: patients.familyName,
    })
    .from(carerConsents)
    .innerJoin(patients, eq(patients.id, carerConsents.carerPatientId))
    .where(
      and(eq(carerConsents.patientId, patientId), inForceOnly ? consentActiveAt(now) : undefined),
    )
    .orderBy(desc(carerConsents.createdAt))
    .limit(100);
  return rows.map((c) => presentConsent(c.consent, `${c.givenName} ${c.familyName}`, now));
}

/** The patient's invitations recorded by staff from paper forms still waiting at `now`. */
const paperInvitationsOf = (tx: Tx, patientId: string, now: Date) =>
  tx
    .select()
    .from(carerInvitations)
    .where(
      and(
        eq(carerInvitations.patientId, patientId),
        invitationWaitingAt(now),
        isNotNull(carerInvitations.recordedByProfessionalId),
      ),
    )
    .orderBy(desc(carerInvitations.createdAt))
    .limit(100);

/**
 * The patient's carers as staff with record access see them on the record page, in one
 * audited read (C4): those whose consent is in force now (name, level, start, last day —
 * not their email: staff need only tell them apart to record the patient's request to end
 * one), and the invitations from paper forms still waiting, which they may cancel. Anyone
 * else is told the patient does not exist (C2).
 */
export async function listPatientCarers(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
) {
  const reader = requireVerifiedActor(actor);
  const now = deps.clock();
  return withTransaction(deps.db, async (tx) => {
    const access = await recordAccessOf(tx, reader, patientId, now);
    const facts = { patientId, recordAccess: access !== null };
    if (!access || !canOnInvitation(reader, 'carerConsent.list', facts)) throw patientNotFound();
    const carers = await carersOf(tx, patientId, now, true);
    const invitations = await paperInvitationsOf(tx, patientId, now);
    await recordAudit(tx, auditContextFor(reader, request, now), {
      action: 'record.carers_and_invitations_listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: {
        count: carers.length,
        invitations: invitations.length,
        basis: access.basis,
        ...('teamId' in access ? { teamId: access.teamId } : {}),
      },
    });
    return { carers, paperInvitations: invitations.map(presentInvitation) };
  });
}

/** The active consent of this carer for this patient at `at`, or null. */
export async function activeConsentOf(
  db: Reader,
  carerUserId: string,
  patientId: string,
  at: Date,
) {
  const [row] = await db
    .select()
    .from(carerConsents)
    .where(
      and(
        eq(carerConsents.carerUserId, carerUserId),
        eq(carerConsents.patientId, patientId),
        consentActiveAt(at),
      ),
    );
  return row ?? null;
}

/** The people the signed-in carer cares for now: consents in force at this request's time. */
export async function listPeopleICareFor(deps: AppDeps, actor: Actor) {
  const carer = requirePatient(actor);
  const rows = await deps.db
    .select({
      consent: carerConsents,
      givenName: patients.givenName,
      familyName: patients.familyName,
    })
    .from(carerConsents)
    .innerJoin(patients, eq(patients.id, carerConsents.patientId))
    .where(and(eq(carerConsents.carerUserId, carer.userId), consentActiveAt(deps.clock())))
    .orderBy(patients.familyName, patients.givenName);
  return {
    items: rows.map((r) => ({
      consentId: r.consent.id,
      patient: { id: r.consent.patientId, name: `${r.givenName} ${r.familyName}` },
      level: r.consent.level,
      endsAt: r.consent.endsAt?.toISOString() ?? null,
    })),
  };
}

/**
 * A cared-for patient's conversations that are not private from carers, for a carer whose
 * consent is in force now (C1); anyone else is told the patient does not exist. Audited.
 */
export async function listCaredForConversations(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
) {
  const carer = requirePatient(actor);
  const at = deps.clock();
  return withTransaction(deps.db, async (tx) => {
    const consent = await activeConsentOf(tx, carer.userId, patientId, at);
    if (!consent) throw patientNotFound();
    const [patient] = await tx
      .select({ givenName: patients.givenName, familyName: patients.familyName })
      .from(patients)
      .where(eq(patients.id, patientId));
    const rows = await tx
      .select({
        id: conversations.id,
        subject: conversations.subject,
        lastMessageAt: conversations.lastMessageAt,
        lastMessageSeq: conversations.lastMessageSeq,
        lastRead: lastReadSeq(carer.userId, conversations.id),
      })
      .from(conversations)
      .where(
        and(
          eq(conversations.patientId, patientId),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(privateConversations)
              .where(eq(privateConversations.conversationId, conversations.id)),
          ),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(200);
    const ids = rows.map((r) => r.id);
    const teamsOf = await participatingTeams(tx, ids);
    // Those the patient or a carer wrote to by name, as the patient's own list shows them (M1).
    const professionalsOf = await addressedProfessionals(tx, ids);
    await recordAudit(tx, asCarer(auditContextFor(carer, request, at), carer), {
      action: 'record.conversations_listed',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      details: { count: rows.length, basis: 'carer_consent' },
    });
    return {
      patient: { id: patientId, name: patient ? `${patient.givenName} ${patient.familyName}` : '' },
      level: consent.level,
      items: rows.map((r) => ({
        id: r.id,
        subject: r.subject,
        teams: teamsOf.get(r.id) ?? [],
        professionals: professionalsOf.get(r.id) ?? [],
        lastMessageAt: r.lastMessageAt.toISOString(),
        unreadCount: Math.max(0, r.lastMessageSeq - (r.lastRead ?? 0)),
      })),
    };
  });
}

/** Carers with consent in force at `at` for the patient: user ids, for notifications (N1). */
export async function activeCarerUserIds(
  db: Reader,
  patientId: string,
  at: Date,
): Promise<string[]> {
  const rows = await db
    .select({ userId: carerConsents.carerUserId })
    .from(carerConsents)
    .innerJoin(users, eq(users.id, carerConsents.carerUserId))
    .where(and(eq(carerConsents.patientId, patientId), consentActiveAt(at)));
  return rows.map((r) => r.userId);
}

/** The patients whose carer this user is at `at`: their consents in force. */
export async function caredForPatientIds(
  db: Reader,
  carerUserId: string,
  at: Date,
): Promise<string[]> {
  const rows = await db
    .select({ patientId: carerConsents.patientId })
    .from(carerConsents)
    .where(and(eq(carerConsents.carerUserId, carerUserId), consentActiveAt(at)));
  return rows.map((r) => r.patientId);
}

/** Who a carer with message consent may write to for the patient: the patient's recipients (M1). */
export async function listCaredForRecipients(deps: AppDeps, actor: Actor, patientId: string) {
  const carer = requirePatient(actor);
  const now = deps.clock();
  const consent = await activeConsentOf(deps.db, carer.userId, patientId, now);
  if (!consent) throw patientNotFound();
  if (consent.level !== 'message') {
    throw forbidden(
      'conversation.carer_view_only',
      'You can read this person’s messages but not send them.',
    );
  }
  return listMyRecipients(deps.db, patientId, now);
}
