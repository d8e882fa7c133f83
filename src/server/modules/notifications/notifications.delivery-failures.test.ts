import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  patient as signedInPatient,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { type Mailbox, startMailbox, userIdOf } from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { Database } from '../../platform/db/database';
import { claimDue, type OutboxRow } from '../../platform/outbox/outbox';
import { messageNotificationHandler } from './notifications.delivery';

let t: TestApp;
let mailbox: Mailbox;

beforeAll(async () => {
  t = await buildTestApp();
  mailbox = await startMailbox(t.deps.config.mailFrom);
});
afterAll(async () => {
  await mailbox.close();
  await t.close();
});

/** The real database, except that reading a conversation fails as a lost connection would. */
function failingConversationReads(db: Database): Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'select' || typeof value !== 'function') return value;
      return (fields?: Record<string, unknown>) => {
        if (fields && 'participants' in fields) throw new Error('Connection terminated');
        return (value as (fields?: Record<string, unknown>) => unknown).call(target, fields);
      };
    },
  });
}

const handlerOver = (db: Database) =>
  messageNotificationHandler(
    {
      db,
      clock: t.clock.now,
      mailer: mailbox.mailer,
      publicUrl: t.deps.config.publicUrl,
      mailFrom: t.deps.config.mailFrom,
    },
    'notify',
  );

describe('a notification is dropped only for a reason, never for a passing failure (N4)', () => {
  it('a database failure while checking the conversation fails the attempt, to be retried; the email still goes', async () => {
    const org = await createOrganisation(t.db);
    const nurses = await createTeam(t.db, org.id, { name: 'Stroke Nurses' });
    const nurse = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [nurses.id] });
    const conversationId = await startConversation(person.client, [{ teamId: nurses.id }]);

    const due = (await claimDue(t.db, t.clock.now(), 100)).filter(
      (row) => row.payload.conversationId === conversationId,
    );
    expect(due).toHaveLength(1);
    const [row] = due;
    if (!row) throw new Error('no notification queued');
    // Thrown, not dropped: the relay records a failure and tries again after its backoff.
    await expect(handlerOver(failingConversationReads(t.db))(row)).rejects.toThrow(
      'Connection terminated',
    );

    const before = mailbox.emails.length;
    expect(await handlerOver(t.db)(row)).toEqual({ outcome: 'sent' });
    expect(mailbox.emails.slice(before).map((email) => email.to)).toEqual([nurse.email]);
  });

  it('a conversation that does not exist is still dropped, with its reason', async () => {
    const org = await createOrganisation(t.db);
    const nurses = await createTeam(t.db, org.id, { name: 'Renal Nurses' });
    const nurse = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
    const row: OutboxRow = {
      id: 0,
      kind: 'message.notify',
      eventKey: 'a-message-of-no-conversation',
      recipientUserId: await userIdOf(t.db, { professionalId: nurse.id }),
      payload: { conversationId: randomUUID(), messageId: randomUUID(), teamId: nurses.id },
      status: 'pending',
      attempts: 1,
      nextAttemptAt: t.clock.now(),
      lockedUntil: null,
      lastError: null,
      droppedReason: null,
      createdAt: t.clock.now(),
      sentAt: null,
    };
    expect(await handlerOver(t.db)(row)).toEqual({
      outcome: 'dropped',
      reason: 'conversation_gone',
    });
  });
});
