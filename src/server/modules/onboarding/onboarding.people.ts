import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { notifyOnCommit } from '../../platform/db/on-commit';
import { OUTBOX_CHANNEL } from '../../platform/outbox/outbox';
import { outbox } from '../../platform/outbox/outbox.schema';
import { users } from '../identity/identity.schema';
import type { ImportProblem } from './onboarding.schema';

export const INVITATION_KINDS = {
  staff: 'onboarding.staff_invited',
  patient: 'onboarding.patient_invited',
} as const;

/** Helpers shared by the staff and patient imports. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Collects a row's problems against the column's heading as the file wrote it. */
export class Problems {
  readonly list: ImportProblem[] = [];
  constructor(private readonly headings: ReadonlyMap<string, string>) {}

  add(row: number, key: string | null, code: string, message: string): void {
    const column = key === null ? '' : (this.headings.get(key) ?? key);
    this.list.push({ row, column, code, message });
  }
}

/** Row first, then column, as someone fixing the file would go through it. */
export function inFileOrder(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
}

/** The user a person signs in as, made now if they have none, so an invitation can find them. */
export async function ensureUser(
  tx: Tx,
  who: { professionalId: string } | { patientId: string },
): Promise<string> {
  const where =
    'professionalId' in who
      ? eq(users.professionalId, who.professionalId)
      : eq(users.patientId, who.patientId);
  const [existing] = await tx.select({ id: users.id }).from(users).where(where);
  if (existing) return existing.id;
  const [created] = await tx.insert(users).values(who).returning({ id: users.id });
  if (!created) throw new Error('user insert returned nothing');
  return created.id;
}

/**
 * Queues one invitation email, in the import's transaction. One per person and organisation
 * ever: the outbox's (kind, event, recipient) key makes a re-run's invitation a no-op.
 * Resolves whether a new one was queued.
 */
export async function queueInvitation(
  tx: Tx,
  audience: keyof typeof INVITATION_KINDS,
  organisationId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .insert(outbox)
    .values({
      kind: INVITATION_KINDS[audience],
      eventKey: `organisation:${organisationId}`,
      recipientUserId: userId,
      payload: { organisationId },
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/** Wakes the relays once the import commits. */
export async function wakeOutbox(tx: Tx): Promise<void> {
  await notifyOnCommit(tx, OUTBOX_CHANNEL, '');
}
