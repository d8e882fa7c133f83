import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  patient as signedInPatient,
  type Person,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import {
  latestMessage,
  outboxRows,
  startMailbox,
  userIdOf,
  worker,
} from '../../../../test/notifications-world';
import { signInAs } from '../../../../test/personas';
import { buildTestApp } from '../../../../test/test-app';
import type { NotificationMode } from './notifications.schema';
import { DIGEST_HOUR_UTC, REMINDER_DELAY_MS, scheduleDigests } from './notifications.schedule';

/**
 * A setting is honoured when the email goes out, not only when the message was sent: someone
 * who chose "No emails" (or the daily digest) after a message was announced gets no queued
 * email and no reminder about it (N1, N3, N4).
 */

const NEW_MESSAGE = 'You have a new secure message';
const REMINDER = 'Reminder: you have an unread secure message';
const DIGEST = 'Your daily summary of secure messages';
const HOUR = 60 * 60_000;

async function setUp() {
  const t = await buildTestApp();
  const mailbox = await startMailbox(t.deps.config.mailFrom);
  const notifications = worker(t, mailbox.mailer);
  return {
    t,
    mailbox,
    notifications,
    subjects: (person: { email: string }) => mailbox.to(person.email).map((e) => e.subject),
    /** Saves a person's setting for one team, signing in afresh (the clock moves by days). */
    choose: async (person: Person, teamId: string, mode: NotificationMode) => {
      const client = await signInAs(t.app, person.email);
      const response = await client.request({
        method: 'PUT',
        url: '/api/v1/me/notification-preferences',
        payload: { teams: [{ teamId, mode }] },
      });
      expect(response.statusCode).toBe(200);
    },
    close: async () => {
      await notifications.stop();
      await mailbox.close();
      await t.close();
    },
  };
}

describe('a setting is honoured at the time of sending (N1, N3, N4)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(() => s.close());

  /** A team of two members and a manager, and a patient who writes to it. */
  async function world() {
    const { t } = s;
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id, { name: 'Hand Clinic' });
    const quitter = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const keeper = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const manager = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'manager' }]);
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [team.id] });
    return { org, team, quitter, keeper, manager, person };
  }

  it('N3: someone who chose "No emails" after a message was announced gets no reminder for it', async () => {
    const { t, notifications, subjects, choose } = s;
    const w = await world();
    const conversationId = await startConversation(w.person.client, [{ teamId: w.team.id }]);
    await notifications.tick();
    expect(subjects(w.quitter)).toEqual([NEW_MESSAGE]);
    expect(subjects(w.keeper)).toEqual([NEW_MESSAGE]);

    await choose(w.quitter, w.team.id, 'off');
    t.clock.advance(REMINDER_DELAY_MS + HOUR);
    await notifications.tick();

    // The one who kept "straight away" is reminded; the one who said "No emails" hears nothing.
    expect(subjects(w.keeper)).toEqual([NEW_MESSAGE, REMINDER]);
    expect(subjects(w.quitter)).toEqual([NEW_MESSAGE]);
    const message = await latestMessage(t.db, conversationId);
    const quitterId = await userIdOf(t.db, { professionalId: w.quitter.id });
    const reminders = await outboxRows(t.db, { messageId: message.id, kind: 'message.reminder' });
    expect(reminders.find((r) => r.recipient_user_id === quitterId)).toMatchObject({
      status: 'dropped',
      dropped_reason: 'notifications_off',
    });
  });

  it('N1, N4: an email still queued when someone chooses "No emails" or the digest is not sent', async () => {
    const { t, notifications, subjects, choose } = s;
    const w = await world();
    const digester = await staff(t.app, t.db, w.org.id, [{ teamId: w.team.id, role: 'member' }]);
    // Queued for all four while they all took emails straight away…
    const conversationId = await startConversation(w.person.client, [{ teamId: w.team.id }]);
    const message = await latestMessage(t.db, conversationId);
    expect(await outboxRows(t.db, { messageId: message.id })).toHaveLength(4);
    // …and changed before the relay got to them.
    await choose(w.quitter, w.team.id, 'off');
    await choose(digester, w.team.id, 'digest');
    await notifications.tick();

    expect(subjects(w.keeper)).toEqual([NEW_MESSAGE]);
    expect(subjects(w.manager)).toEqual([NEW_MESSAGE]);
    expect(subjects(w.quitter)).toEqual([]);
    // The digest has its own email, once a day; the message's own email is not sent.
    expect(subjects(digester)).not.toContain(NEW_MESSAGE);
  });

  it('N3: a manager told because nobody in the team takes emails is still told, and reminded', async () => {
    const { t, notifications, subjects, choose } = s;
    const w = await world();
    await choose(w.quitter, w.team.id, 'off');
    await choose(w.keeper, w.team.id, 'digest');
    await choose(w.manager, w.team.id, 'off');
    await startConversation(w.person.client, [{ teamId: w.team.id }]);
    await notifications.tick();
    expect(subjects(w.manager)).toEqual([NEW_MESSAGE]);

    t.clock.advance(REMINDER_DELAY_MS + HOUR);
    await notifications.tick();
    expect(subjects(w.manager)).toEqual([NEW_MESSAGE, REMINDER]);
    expect(subjects(w.quitter)).toEqual([]);
    expect(subjects(w.keeper)).not.toContain(NEW_MESSAGE);
  });

  it('N3: once a member takes emails straight away again, a manager who chose "No emails" is not reminded', async () => {
    const { t, notifications, subjects, choose } = s;
    const w = await world();
    await choose(w.quitter, w.team.id, 'off');
    await choose(w.keeper, w.team.id, 'off');
    await choose(w.manager, w.team.id, 'off');
    await startConversation(w.person.client, [{ teamId: w.team.id }]);
    await notifications.tick();
    expect(subjects(w.manager)).toEqual([NEW_MESSAGE]);

    await choose(w.keeper, w.team.id, 'immediate');
    t.clock.advance(REMINDER_DELAY_MS + HOUR);
    await notifications.tick();
    expect(subjects(w.manager)).toEqual([NEW_MESSAGE]);
  });
});

describe('the daily digest follows the setting when it goes out (N1)', () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    s = await setUp();
  });
  afterAll(() => s.close());

  it('a digest queued before someone chose "No emails" is not sent', async () => {
    const { t, notifications, subjects, choose } = s;
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id, { name: 'Foot Clinic' });
    const digester = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    await choose(digester, team.id, 'digest');
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [team.id] });
    await startConversation(person.client, [{ teamId: team.id }]);
    await notifications.tick();
    expect(subjects(digester)).not.toContain(NEW_MESSAGE);
    const digestsBefore = subjects(digester).filter((x) => x === DIGEST).length;

    // Past the digest hour tomorrow the digest is queued; "No emails" comes before it goes.
    const now = t.clock.now();
    t.clock.advance(
      (24 + DIGEST_HOUR_UTC + 1 - now.getUTCHours()) * HOUR - now.getUTCMinutes() * 60_000,
    );
    await scheduleDigests(t.db, t.clock.now());
    const digesterId = await userIdOf(t.db, { professionalId: digester.id });
    const pending = (await outboxRows(t.db, { kind: 'digest' })).filter(
      (r) => r.recipient_user_id === digesterId && r.status === 'pending',
    );
    expect(pending).toHaveLength(1);
    await choose(digester, team.id, 'off');
    await notifications.tick();
    expect(subjects(digester).filter((x) => x === DIGEST)).toHaveLength(digestsBefore);
    const digest = (await outboxRows(t.db, { kind: 'digest' })).find(
      (r) => r.id === pending[0]?.id,
    );
    expect(digest).toMatchObject({ status: 'dropped', dropped_reason: 'no_digest_teams' });
  });
});
