import { and, count, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { AppError, conflict, forbidden } from '../../platform/http/problem';
import { inTransaction, type RequestFacts, type SignedInActor } from './actor';
import { can } from './identity.policy';
import { recoveryCodes, sessions, signInMethods, totpCredentials, users } from './identity.schema';
import { secondFactorAccountKey } from './second-factor.commands';
import { isThrottled, recordAttempt, tooManyAttempts } from './throttle';
import { enrolmentOf, newTotpSecret, stepOfCode } from './totp';
import {
  decryptTotpSecret,
  encryptTotpSecret,
  hashRecoveryCode,
  newRecoveryCodes,
} from './totp.crypto';

export interface TotpEnrolment {
  /** The secret in base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUri: string;
  /** A QR code of otpauthUri as an image data URL. */
  qrCode: string;
}

export interface TotpStatus {
  available: boolean;
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesRemaining: number;
}

const notAvailable = () =>
  forbidden(
    'totp.not_available',
    'Authenticator apps are for staff who sign in with a password. Patients sign in with NHS login.',
  );
const alreadyEnabled = () =>
  conflict('totp.already_enabled', 'An authenticator app is already set up for your account.');
const notStarted = () =>
  conflict('totp.setup_not_started', 'Start setting up your authenticator app first.');
const invalidCode = () =>
  new AppError(400, 'totp.invalid_code', 'Invalid request', 'The code is not right', [
    {
      field: 'code',
      code: 'totp.invalid_code',
      message: 'Enter the 6-digit code your authenticator app shows now',
    },
  ]);

/** Serialises set-up per user: concurrent starts and confirmations queue on the user row. */
async function lockUser(tx: Tx, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

async function credentialOf(tx: Tx, userId: string) {
  const [row] = await tx.select().from(totpCredentials).where(eq(totpCredentials.userId, userId));
  return row;
}

/**
 * Starts (or resumes) setting up an authenticator app: a secret that stays pending until a
 * code proves the app holds it. Asking again before confirming shows the same secret, so
 * reloading the page does not invalidate what was already scanned.
 */
export async function startTotpSetup(
  deps: AppDeps,
  actor: SignedInActor,
  request: RequestFacts,
): Promise<TotpEnrolment> {
  if (!can(actor, 'totp.setUp')) throw notAvailable();
  return inTransaction(deps, actor, request, async (tx, audit) => {
    await lockUser(tx, actor.userId);
    const existing = await credentialOf(tx, actor.userId);
    if (existing?.confirmedAt) throw alreadyEnabled();
    let secret: string;
    if (existing) {
      secret = decryptTotpSecret(deps.config, actor.userId, existing.secretCiphertext);
    } else {
      secret = newTotpSecret();
      await tx.insert(totpCredentials).values({
        userId: actor.userId,
        secretCiphertext: encryptTotpSecret(deps.config, actor.userId, secret),
        createdAt: audit.now,
      });
      await recordAudit(tx, audit, {
        action: 'totp.setup_started',
        entityType: 'user',
        entityId: actor.userId,
      });
    }
    const [method] = await tx
      .select({ subject: signInMethods.subject })
      .from(signInMethods)
      .where(and(eq(signInMethods.userId, actor.userId), eq(signInMethods.provider, 'password')));
    // The app lists the account under this name; the person's own email tells accounts apart.
    const enrolment = await enrolmentOf(secret, method?.subject ?? actor.name);
    return { secret, ...enrolment };
  });
}

/**
 * Confirms the pending authenticator app with a current code, then issues ten single-use
 * recovery codes (returned this once; only their hashes are kept) and lifts the set-up
 * requirement from every session of the user.
 */
export async function confirmTotpSetup(
  deps: AppDeps,
  actor: SignedInActor,
  code: string,
  request: RequestFacts,
): Promise<{ recoveryCodes: string[] }> {
  if (!can(actor, 'totp.setUp')) throw notAvailable();
  const accountKey = secondFactorAccountKey(deps, actor.userId);
  const outcome = await inTransaction(deps, actor, request, async (tx, audit) => {
    await lockUser(tx, actor.userId);
    const credential = await credentialOf(tx, actor.userId);
    if (!credential) throw notStarted();
    if (credential.confirmedAt) throw alreadyEnabled();
    if (
      await isThrottled(
        tx,
        accountKey,
        request.clientAddress,
        audit.now,
        deps.config.signInAttemptsPerAddress,
      )
    ) {
      return { kind: 'throttled' as const };
    }
    const secret = decryptTotpSecret(deps.config, actor.userId, credential.secretCiphertext);
    const step = stepOfCode(secret, code, audit.now);
    await recordAttempt(tx, accountKey, request.clientAddress, step !== null, audit.now);
    if (step === null) return { kind: 'invalid' as const };

    await tx
      .update(totpCredentials)
      .set({ confirmedAt: audit.now, lastUsedStep: step })
      .where(eq(totpCredentials.userId, actor.userId));
    const codes = newRecoveryCodes();
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, actor.userId));
    await tx.insert(recoveryCodes).values(
      codes.map((c) => ({
        userId: actor.userId,
        codeHash: hashRecoveryCode(deps.config, c),
        createdAt: audit.now,
      })),
    );
    await tx
      .update(sessions)
      .set({ totpSetupRequired: false })
      .where(eq(sessions.userId, actor.userId));
    await recordAudit(tx, audit, {
      action: 'totp.enabled',
      entityType: 'user',
      entityId: actor.userId,
      details: { recoveryCodesIssued: codes.length },
    });
    return { kind: 'ok' as const, codes };
  });
  if (outcome.kind === 'throttled') throw tooManyAttempts();
  if (outcome.kind === 'invalid') throw invalidCode();
  return { recoveryCodes: outcome.codes };
}

export async function getTotpStatus(deps: AppDeps, actor: SignedInActor): Promise<TotpStatus> {
  const [credential] = await deps.db
    .select({ confirmedAt: totpCredentials.confirmedAt })
    .from(totpCredentials)
    .where(eq(totpCredentials.userId, actor.userId));
  const [remaining] = await deps.db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, actor.userId), isNull(recoveryCodes.usedAt)));
  const enabledAt = credential?.confirmedAt ?? null;
  return {
    available: can(actor, 'totp.setUp'),
    enabled: enabledAt !== null,
    enabledAt,
    recoveryCodesRemaining: enabledAt === null ? 0 : (remaining?.n ?? 0),
  };
}
