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
import { DIGEST_HOUR_UK, REMINDER_DELAY_MS, scheduleDigests } from './notifications.schedule';

/**
 * Who hears of a team's message is settled when it is sent (N1, N3): a manager is the fallback
 * when nobody in the team takes emails straight away, and a change of setting afterwards does
 * not withdraw an email already queued — it may be the only one the team gets. The daily
 * digest reads the settings as it goes out.
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

describe('who hears of a team’s message (N1, N3)', () => {
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

  it('N3: an email already queued is not withdrawn by a later change, so the team is never left untold', async () => {
    const { t, notifications, subjects, choose } = s;
    const w = await world();
    // The quitter is the only one who takes emails straight away: the email is queued for
    // her alone (the manager is not needed as a fallback)…
    await choose(w.keeper, w.team.id, 'off');
    await choose(w.manager, w.team.id, 'off');
    const conversationId = await startConversation(w.person.client, [{ teamId: w.team.id }]);
    const message = await latestMessage(t.db, conversationId);
    expect(await outboxRows(t.db, { messageId: message.id })).toHaveLength(1);
    // …and she chooses "No emails" before it goes. Dropping it would leave nobody told.
    await choose(w.quitter, w.team.id, 'off');
    await notifications.tick();
    expect(subjects(w.quitter)).toEqual([NEW_MESSAGE]);
    expect(subjects(w.manager)).toEqual([]);
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
      (24 + DIGEST_HOUR_UK + 1 - now.getUTCHours()) * HOUR - now.getUTCMinutes() * 60_000,
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
