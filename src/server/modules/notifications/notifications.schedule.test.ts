import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient as signedInPatient,
  type Person,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { latestMessage, startMailbox, worker } from '../../../../test/notifications-world';
import { signInAs } from '../../../../test/personas';
import { buildTestApp } from '../../../../test/test-app';
import { DIGEST_HOUR_UK, REMINDER_DELAY_MS } from './notifications.schedule';

const NEW_MESSAGE = 'You have a new secure message';
const REMINDER = 'Reminder: you have an unread secure message';
const DIGEST = 'Your daily summary of secure messages';
const HOUR = 60 * 60_000;

/** Each describe has its own app: the clock moves by days here. */
async function setUp() {
  const t = await buildTestApp();
  const mailbox = await startMailbox(t.deps.config.mailFrom);
  const notifications = worker(t, mailbox.mailer);
  return {
    t,
    mailbox,
    notifications,
    subjects: (person: { email: string }) => mailbox.to(person.email).map((e) => e.subject),
    close: async () => {
      await notifications.stop();
      await mailbox.close();
      await t.close();
    },
  };
}

describe('reminders (N3)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(() => s.close());

  it('an unread message earns exactly one reminder after the delay; a read one none', async () => {
    const { t, notifications, subjects } = s;
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id, { name: 'Fracture Clinic' });
    const reader = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const busy = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [team.id] });
    const conversationId = await startConversation(person.client, [{ teamId: team.id }]);
    await notifications.tick();
    expect(subjects(reader)).toEqual([NEW_MESSAGE]);
    expect(subjects(busy)).toEqual([NEW_MESSAGE]);

    // One of them reads it in time.
    const message = await latestMessage(t.db, conversationId);
    await expectStatus(
      reader.client,
      { method: 'POST', url: url.read(conversationId), payload: { seq: message.seq } },
      204,
    );

    // Not yet due.
    t.clock.advance(REMINDER_DELAY_MS - HOUR);
    await notifications.tick();
    expect(subjects(busy).filter((x) => x === REMINDER)).toEqual([]);

    t.clock.advance(HOUR + 1);
    await notifications.tick();
    expect(subjects(busy).filter((x) => x === REMINDER)).toHaveLength(1);
    expect(subjects(reader).filter((x) => x === REMINDER)).toEqual([]);
    const [reminder] = s.mailbox.to(busy.email).filter((e) => e.subject === REMINDER);
    expect(reminder?.text).toContain(`from ${team.name} at ${org.name}`);
    expect(reminder?.text).not.toContain('A question');

    // Never a second one, however long it stays unread.
    await notifications.tick();
    t.clock.advance(REMINDER_DELAY_MS);
    await notifications.tick();
    t.clock.advance(3 * REMINDER_DELAY_MS);
    await notifications.tick();
    expect(subjects(busy).filter((x) => x === REMINDER)).toHaveLength(1);
    expect(subjects(reader).filter((x) => x === REMINDER)).toEqual([]);
  });

  it('a message read after the notification but before the reminder is due earns none', async () => {
    const { t, notifications, subjects } = s;
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id);
    const nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [team.id] });
    const conversationId = await startConversation(person.client, [{ teamId: team.id }]);
    await notifications.tick();
    t.clock.advance(REMINDER_DELAY_MS - HOUR);
    // Sessions lapse over a day: sign in again to read.
    const client = await signInAs(t.app, nurse.email);
    const message = await latestMessage(t.db, conversationId);
    await expectStatus(
      client,
      { method: 'POST', url: url.read(conversationId), payload: { seq: message.seq } },
      204,
    );
    t.clock.advance(2 * HOUR);
    await notifications.tick();
    expect(subjects(nurse)).toEqual([NEW_MESSAGE]);
  });
});

describe('daily digest (N1, N3)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(() => s.close());

  it('a professional who chose a digest gets one email a day after the digest hour, with counts per team', async () => {
    const { t, notifications, subjects, mailbox } = s;
    const org = await createOrganisation(t.db, 'Riverside Health Centre');
    const skin = await createTeam(t.db, org.id, { name: 'Skin Clinic' });
    const eyes = await createTeam(t.db, org.id, { name: 'Eye Clinic' });
    const digester: Person = await staff(t.app, t.db, org.id, [
      { teamId: skin.id, role: 'member' },
      { teamId: eyes.id, role: 'member' },
    ]);
    // Someone in each team still hears at once, so the managers' safety net stays out of it.
    await staff(t.app, t.db, org.id, [
      { teamId: skin.id, role: 'member' },
      { teamId: eyes.id, role: 'member' },
    ]);
    await expectStatus(
      digester.client,
      {
        method: 'PUT',
        url: '/api/v1/me/notification-preferences',
        payload: {
          teams: [
            { teamId: skin.id, mode: 'digest' },
            { teamId: eyes.id, mode: 'digest' },
          ],
        },
      },
      200,
    );
    const person = await signedInPatient(t.app, t.db, [org.id]);

    // The day starts before the digest hour: 02:00 tomorrow (November: UK time is UTC).
    const now = t.clock.now();
    const untilTwo = (26 - now.getUTCHours()) * HOUR - now.getUTCMinutes() * 60_000;
    t.clock.advance(untilTwo);
    expect(t.clock.now().getUTCHours()).toBe(2);
    // The patient signs in afresh after the clock moved.
    const writer = await signInAs(t.app, person.email);
    const first = await startConversation(writer, [{ teamId: skin.id }]);
    await expectStatus(
      writer,
      { method: 'POST', url: url.messages(first), payload: { body: 'And another thing' } },
      201,
    );
    await startConversation(writer, [{ teamId: skin.id }]);
    await startConversation(writer, [{ teamId: eyes.id }]);
    await notifications.tick();
    // No per-message email for a digest person, and no digest before the hour.
    expect(subjects(digester)).toEqual([]);

    t.clock.advance((DIGEST_HOUR_UK - 2) * HOUR);
    await notifications.tick();
    expect(subjects(digester)).toEqual([DIGEST]);
    const [digest] = mailbox.to(digester.email);
    // Unread messages, as the team inbox counts them: three in two conversations.
    expect(digest?.text).toContain('Skin Clinic: 3 unread messages');
    expect(digest?.text).toContain('Eye Clinic: 1 unread message');
    expect(digest?.text).toContain(org.name);

    // Once a day: later the same day, nothing more.
    await notifications.tick();
    t.clock.advance(10 * HOUR);
    await notifications.tick();
    expect(subjects(digester)).toEqual([DIGEST]);

    // The next day, before the hour nothing; after it, the next one.
    t.clock.advance(12 * HOUR);
    expect(t.clock.now().getUTCHours()).toBe(5);
    await notifications.tick();
    expect(subjects(digester)).toEqual([DIGEST]);
    t.clock.advance(2 * HOUR);
    await notifications.tick();
    expect(subjects(digester).filter((x) => x === DIGEST)).toHaveLength(2);
    expect(subjects(digester)).not.toContain(NEW_MESSAGE);
  });
});
