import { unauthenticated } from '../../platform/http/authentication';
import { AppError } from '../../platform/http/problem';
import type { Actor, SignedInActor } from './actor';

/** Only patients verified to P9 read or send message content (C5). */
export function mustVerifyIdentity(actor: Actor): boolean {
  return actor.kind === 'patient' && actor.identityLevel !== 'P9';
}

export const verificationRequired = () =>
  new AppError(
    403,
    'identity.verification_required',
    'Verify your identity',
    'Verify your identity with NHS login to read and send messages.',
  );

/** The signed-in actor, refused if a patient has not verified their identity to P9 (C5). */
export function requireVerifiedActor(actor: Actor): SignedInActor {
  if (actor.kind === 'anonymous') throw unauthenticated();
  if (mustVerifyIdentity(actor)) throw verificationRequired();
  return actor;
}
