import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient as signedInPatient,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import {
  latestMessage,
  type Mailbox,
  outboxCount,
  outboxRows,
  startMailbox,
  userIdOf,
  worker,
} from '../../../../test/notifications-world';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { SmtpMailer } from '../../platform/mail/mailer';
import { withTransaction } from '../../platform/db/database';
import { claimDue, enqueue, LEASE_MS, MAX_ATTEMPTS } from '../../platform/outbox/outbox';
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

/** One delivery run, as a worker that starts, works through what is due, and stops. */
async function deliverNow(mailer: SmtpMailer = mailbox.mailer): Promise<number> {
  const notifications = worker(t, mailer);
  try {
    return await notifications.tick();
  } finally {
    await notifications.stop();
  }
}

/** An organisation with a coordinator, a nurses' team of two, and a patient in their care. */
async function world() {
  const org = await createOrganisation(t.db);
  const admin = await createTeam(t.db, org.id, { name: 'Administration', contactable: false });
  const nurses = await createTeam(t.db, org.id, { name: 'Respiratory Nurses' });
  const coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
  const nurseA = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  const nurseB = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [nurses.id] });
  return { org, nurses, coordinator, nurseA, nurseB, patient: person };
}

describe('the outbox is written in the sending transaction (N4)', () => {
  it('a refused message leaves no outbox rows; a sent one leaves one per recipient', async () => {
    const w = await world();
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    const org = await createOrganisation(t.db);
    const stranger = await staff(t.app, t.db, org.id, []);
    const before = await outboxCount(t.db);

    const refused = await send(stranger.client, conversationId, 'Not my conversation');
    expect([403, 404]).toContain(refused.statusCode);
    const tooLong = await send(w.patient.client, conversationId, 'x'.repeat(10_001));
    expect(tooLong.statusCode).toBe(400);
    expect(await outboxCount(t.db)).toBe(before);

    const sent = await send(w.patient.client, conversationId, 'One more thing');
    expect(sent.statusCode).toBe(201);
    expect(await outboxCount(t.db)).toBe(before + 2);
  });

  it('queueing the same (kind, event, recipient) again leaves one row (N4 deduplication)', async () => {
    const w = await world();
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    const message = await latestMessage(t.db, conversationId);
    const [row] = await outboxRows(t.db, { messageId: message.id });
    expect(row).toBeDefined();
    await withTransaction(t.db, (tx) =>
      enqueue(
        tx,
        [
          {
            kind: row!.kind,
            eventKey: row!.event_key,
            recipientUserId: row!.recipient_user_id,
            payload: row!.payload,
          },
        ],
        t.clock.now(),
      ),
    );
    expect(await outboxRows(t.db, { messageId: message.id })).toHaveLength(2);
    await deliverNow();
    expect([...mailbox.to(w.nurseA.email), ...mailbox.to(w.nurseB.email)]).toHaveLength(2);
  });
});

describe('delivery re-checks access first (N4)', () => {
  it('a member removed from the team before delivery is not emailed; the row says why', async () => {
    const w = await world();
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    await expectStatus(
      w.coordinator.client,
      { method: 'DELETE', url: url.member(w.nurses.id, w.nurseB.id) },
      204,
    );
    const before = mailbox.emails.length;
    await deliverNow();

    expect(mailbox.emails.slice(before).map((e) => e.to)).toEqual([w.nurseA.email]);
    const message = await latestMessage(t.db, conversationId);
    const removed = await userIdOf(t.db, { professionalId: w.nurseB.id });
    const rows = await outboxRows(t.db, { messageId: message.id });
    expect(rows.find((r) => r.recipient_user_id === removed)).toMatchObject({
      status: 'dropped',
      dropped_reason: 'no_access',
    });
  });

  it('a message already read when delivery comes is not emailed about', async () => {
    const w = await world();
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    const message = await latestMessage(t.db, conversationId);
    await expectStatus(
      w.nurseA.client,
      { method: 'POST', url: url.read(conversationId), payload: { seq: message.seq } },
      204,
    );
    const before = mailbox.emails.length;
    await deliverNow();

    expect(mailbox.emails.slice(before).map((e) => e.to)).toEqual([w.nurseB.email]);
    const reader = await userIdOf(t.db, { professionalId: w.nurseA.id });
    const rows = await outboxRows(t.db, { messageId: message.id });
    expect(rows.find((r) => r.recipient_user_id === reader)).toMatchObject({
      status: 'dropped',
      dropped_reason: 'already_read',
    });
  });
});

describe('at least once (N4)', () => {
  it('a worker that dies between "SMTP accepted" and "marked sent": delivered again, one Message-ID per (event, recipient)', async () => {
    const w = await world();
    const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
    const started = await expectStatus(
      w.nurseB.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Results',
          body: 'We have your results.',
          patientId: w.patient.id,
          asTeamId: w.nurses.id,
        },
      },
      201,
    );
    const secondId = started.json<{ id: string }>().id;
    // Nothing else is due but this world's four notifications.
    const mine = (r: { payload: Record<string, string> }) =>
      r.payload.conversationId === conversationId || r.payload.conversationId === secondId;
    expect((await outboxRows(t.db)).filter((r) => r.status === 'pending' && !mine(r))).toEqual([]);
    const before = mailbox.emails.length;

    // The dying worker: claims, hands each row to SMTP, and is gone before marking any sent.
    const handler = messageNotificationHandler(
      {
        db: t.db,
        clock: t.clock.now,
        mailer: mailbox.mailer,
        publicUrl: t.deps.config.publicUrl,
        mailFrom: t.deps.config.mailFrom,
      },
      'notify',
    );
    const claimed = await claimDue(t.db, t.clock.now(), 100);
    // Nurses A and B for the patient's message; the patient and nurse A for nurse B's.
    expect(claimed.length).toBe(4);
    for (const row of claimed) expect(await handler(row)).toEqual({ outcome: 'sent' });
    const firstRound = mailbox.emails.length - before;
    expect(firstRound).toBe(claimed.length);

    // A restarted worker sees nothing while the dead one's lease lasts…
    expect(await deliverNow()).toBe(0);
    // …and everything once it has run out.
    t.clock.advance(LEASE_MS + 1);
    await deliverNow();

    const emails = mailbox.emails.slice(before);
    expect(emails).toHaveLength(2 * claimed.length);
    const byMessageId = new Map<string, string[]>();
    for (const email of emails) {
      expect(email.messageId).toMatch(/^<[0-9a-f]+@[^>]+>$/);
      byMessageId.set(email.messageId, [...(byMessageId.get(email.messageId) ?? []), email.to]);
    }
    // Each duplicate carries the first one's Message-ID, to the same person.
    expect([...byMessageId.values()].every((to) => to.length === 2 && to[0] === to[1])).toBe(true);
    // After deduplication by Message-ID: each (event, recipient) exactly once.
    const first = await latestMessage(t.db, conversationId);
    const expected = (await outboxRows(t.db))
      .filter((r) => claimed.some((c) => c.id === r.id))
      .map((r) => `${r.event_key} ${r.recipient_user_id}`);
    expect(new Set(expected).size).toBe(claimed.length);
    expect(byMessageId.size).toBe(claimed.length);
    const second = await latestMessage(t.db, secondId);
    const rows = [
      ...(await outboxRows(t.db, { messageId: first.id })),
      ...(await outboxRows(t.db, { messageId: second.id })),
    ];
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const recipients = [...byMessageId.values()].map((to) => to[0]).sort();
    expect(recipients).toEqual(
      [w.nurseA.email, w.nurseB.email, w.patient.email, w.nurseA.email].sort(),
    );
  });

  it('an SMTP server that is down for 30 s loses nothing: rows wait with backoff, then all go', async () => {
    const w = await world();
    const down = await startMailbox(t.deps.config.mailFrom);
    try {
      await down.stop();
      const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
      const message = await latestMessage(t.db, conversationId);
      const start = t.clock.now().getTime();

      await deliverNow(down.mailer);
      let rows = await outboxRows(t.db, { messageId: message.id });
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'pending', attempts: 1 });
        expect(row.last_error).toBeTruthy();
        // Stored errors name the failure, never an address.
        expect(row.last_error).not.toContain('@');
        const wait = row.next_attempt_at.getTime() - start;
        expect(wait).toBeGreaterThanOrEqual(15_000);
        expect(wait).toBeLessThanOrEqual(30_000);
      }

      // Ten seconds on: nothing is due, nothing is tried.
      t.clock.advance(10_000);
      await deliverNow(down.mailer);
      rows = await outboxRows(t.db, { messageId: message.id });
      expect(rows.map((r) => r.attempts)).toEqual([1, 1]);

      // Thirty seconds on, still down: a second attempt, and a longer wait after it.
      t.clock.advance(20_000);
      await deliverNow(down.mailer);
      rows = await outboxRows(t.db, { messageId: message.id });
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'pending', attempts: 2 });
        const wait = row.next_attempt_at.getTime() - t.clock.now().getTime();
        expect(wait).toBeGreaterThanOrEqual(30_000);
        expect(wait).toBeLessThanOrEqual(60_000);
      }
      expect(down.emails).toEqual([]);

      // The server is back; once the backoff has passed, everything is delivered once.
      await down.restart();
      t.clock.advance(60_000);
      await deliverNow(down.mailer);
      rows = await outboxRows(t.db, { messageId: message.id });
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
      expect(down.emails.map((e) => e.to).sort()).toEqual([w.nurseA.email, w.nurseB.email].sort());
    } finally {
      await down.close();
    }
  });

  it('after MAX_ATTEMPTS a row is dead, and only the organisation’s coordinators see it', async () => {
    const w = await world();
    const down = await startMailbox(t.deps.config.mailFrom);
    const otherOrg = await createOrganisation(t.db);
    const otherAdmin = await createTeam(t.db, otherOrg.id, { contactable: false });
    const otherCoordinator = await staff(t.app, t.db, otherOrg.id, [
      { teamId: otherAdmin.id, role: 'coordinator' },
    ]);
    try {
      await down.stop();
      const conversationId = await startConversation(w.patient.client, [{ teamId: w.nurses.id }]);
      const message = await latestMessage(t.db, conversationId);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        await deliverNow(down.mailer);
        t.clock.advance(2 * 60 * 60_000);
      }
      const rows = await outboxRows(t.db, { messageId: message.id });
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['dead', MAX_ATTEMPTS],
        ['dead', MAX_ATTEMPTS],
      ]);
      // Dead is dead: later runs do not try again.
      await deliverNow(down.mailer);
      expect((await outboxRows(t.db, { messageId: message.id })).map((r) => r.attempts)).toEqual([
        MAX_ATTEMPTS,
        MAX_ATTEMPTS,
      ]);

      // The clock moved on hours: everyone signs in afresh.
      const [coordinator, nurse, person, outsider] = await Promise.all(
        [w.coordinator, w.nurseA, w.patient, otherCoordinator].map((p) => signInAs(t.app, p.email)),
      );
      const deadLetters = `/api/v1/organisations/${w.org.id}/dead-letters`;
      const listed = await expectStatus(coordinator!, { method: 'GET', url: deadLetters }, 200);
      const items = listed.json<{
        items: { id: number; kind: string; recipient: string; attempts: number }[];
      }>().items;
      expect(items.map((i) => i.id).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(items.map((i) => i.recipient).sort()).toEqual([w.nurseA.name, w.nurseB.name].sort());
      expect(items.every((i) => i.attempts === MAX_ATTEMPTS && i.kind === 'message.notify')).toBe(
        true,
      );

      for (const other of [nurse!, person!, outsider!]) {
        await expectStatus(other, { method: 'GET', url: deadLetters }, 403);
      }
      // Another organisation's coordinator sees none of them in their own list.
      const theirs = await expectStatus(
        outsider!,
        { method: 'GET', url: `/api/v1/organisations/${otherOrg.id}/dead-letters` },
        200,
      );
      expect(theirs.json<{ items: unknown[] }>().items).toEqual([]);
    } finally {
      await down.close();
    }
  });

  it('a dead notification with no team behind it (a professional written to directly) reaches their organisation’s coordinators', async () => {
    const w = await world();
    const consultants = await createTeam(t.db, w.org.id, { name: 'Consultants' });
    const consultant = await staff(t.app, t.db, w.org.id, [
      { teamId: consultants.id, role: 'member', contactable: true },
    ]);
    const down = await startMailbox(t.deps.config.mailFrom);
    try {
      await down.stop();
      const conversationId = await startConversation(w.patient.client, [
        { professionalId: consultant.id },
      ]);
      const message = await latestMessage(t.db, conversationId);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        await deliverNow(down.mailer);
        t.clock.advance(2 * 60 * 60_000);
      }
      const [row] = await outboxRows(t.db, { messageId: message.id });
      expect(row).toMatchObject({ status: 'dead' });
      const coordinator = await signInAs(t.app, w.coordinator.email);
      const listed = await expectStatus(
        coordinator,
        { method: 'GET', url: `/api/v1/organisations/${w.org.id}/dead-letters` },
        200,
      );
      expect(listed.json<{ items: { id: number; recipient: string }[] }>().items).toEqual([
        expect.objectContaining({ id: row!.id, recipient: consultant.name }),
      ]);
    } finally {
      await down.close();
    }
  });
});
