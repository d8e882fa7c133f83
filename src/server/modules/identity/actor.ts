import type { AuditContext } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import type { Role } from '../directory/directory.schema';
import type { IdentityLevel } from '../patients/patients.schema';

export interface Membership {
  teamId: string;
  teamName: string;
  organisationId: string;
  organisationName: string;
  role: Role;
}

/** Whoever is making the request, resolved once from the session. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'professional';
      userId: string;
      professionalId: string;
      name: string;
      memberships: Membership[];
    }
  | {
      kind: 'patient';
      userId: string;
      patientId: string;
      name: string;
      identityLevel: IdentityLevel;
    };

/** Anyone but the anonymous: the actor of every command. */
export type SignedInActor = Exclude<Actor, { kind: 'anonymous' }>;
export type ProfessionalActor = Extract<Actor, { kind: 'professional' }>;
export type PatientActor = Extract<Actor, { kind: 'patient' }>;

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** Organisations the actor configures: those where they hold a coordinator membership. */
export function coordinatedOrganisationIds(actor: Actor): string[] {
  if (actor.kind !== 'professional') return [];
  return [
    ...new Set(
      actor.memberships.filter((m) => m.role === 'coordinator').map((m) => m.organisationId),
    ),
  ];
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'Anonymous';
    case 'patient':
      return `${actor.name} (patient)`;
    case 'professional': {
      const roles = actor.memberships.map((m) => `${m.role}, ${m.teamName}`);
      return roles.length > 0 ? `${actor.name} (${roles.join('; ')})` : actor.name;
    }
  }
}

export interface RequestFacts {
  requestId: string;
  clientAddress: string;
}

export function auditContextFor(actor: Actor, request: RequestFacts, now: Date): AuditContext {
  return {
    actorUserId: actor.kind === 'anonymous' ? null : actor.userId,
    actorLabel: actorLabel(actor),
    requestId: request.requestId,
    clientAddress: request.clientAddress,
    now,
  };
}

/** Runs a command in one transaction, handing it the audit context of who asked and when. */
export function inTransaction<T>(
  deps: AppDeps,
  actor: Actor,
  request: RequestFacts,
  work: (tx: Tx, audit: AuditContext) => Promise<T>,
): Promise<T> {
  return withTransaction(deps.db, (tx) => work(tx, auditContextFor(actor, request, deps.clock())));
}
