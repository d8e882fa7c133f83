import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient as signedInPatient,
  type Person,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import {
  latestMessage,
  type Mailbox,
  outboxRows,
  startMailbox,
  userIdOf,
  worker,
} from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { ReceivedEmail } from '../../platform/mail/receiver';
import type { NotificationWorker } from './notifications.worker';

let t: TestApp;
let mailbox: Mailbox;
let notifications: NotificationWorker;

const setMode = (person: Person, teamId: string, mode: 'immediate' | 'digest' | 'off') =>
  expectStatus(
    person.client,
    {
      method: 'PUT',
      url: '/api/v1/me/notification-preferences',
      payload: { teams: [{ teamId, mode }] },
    },
    200,
  );

const NEW_MESSAGE = 'You have a new secure message';

/**
 * "New secure message" emails counted per recipient address. (The clock stands after the
 * digest hour, so digests go out too; they are not new-message notifications.)
 */
function perRecipient(emails: ReceivedEmail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const email of emails.filter((e) => e.subject === NEW_MESSAGE))
    counts[email.to] = (counts[email.to] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  t = await buildTestApp();
  mailbox = await startMailbox(t.deps.config.mailFrom);
  notifications = worker(t, mailbox.mailer);
});
afterAll(async () => {
  await notifications.stop();
  await mailbox.close();
  await t.close();
});

describe('who is told of a new message (N1, N3)', () => {
  let nurses: { id: string };
  let reception: { id: string };
  let quiet: { id: string };
  let people: Record<
    | 'nurseA'
    | 'nurseB'
    | 'nurseDigest'
    | 'nurseOff'
    | 'both'
    | 'receptionist'
    | 'quietMember'
    | 'quietManager'
    | 'consultant'
    | 'bystander'
    | 'patient',
    Person
  >;

  beforeAll(async () => {
    const org = await createOrganisation(t.db, 'Northfield Hospitals NHS Trust');
    nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses' });
    reception = await createTeam(t.db, org.id, { name: 'Dermatology Reception' });
    quiet = await createTeam(t.db, org.id, { name: 'Medical Records' });
    const consultants = await createTeam(t.db, org.id, { name: 'Consultants' });
    const elsewhere = await createTeam(t.db, org.id, { name: 'PALS' });
    const member = (teamId: string) => ({ teamId, role: 'member' as const });
    people = {
      nurseA: await staff(t.app, t.db, org.id, [member(nurses.id)]),
      nurseB: await staff(t.app, t.db, org.id, [member(nurses.id)]),
      nurseDigest: await staff(t.app, t.db, org.id, [member(nurses.id)]),
      nurseOff: await staff(t.app, t.db, org.id, [member(nurses.id)]),
      both: await staff(t.app, t.db, org.id, [member(nurses.id), member(reception.id)]),
      receptionist: await staff(t.app, t.db, org.id, [member(reception.id)]),
      quietMember: await staff(t.app, t.db, org.id, [member(quiet.id)]),
      quietManager: await staff(t.app, t.db, org.id, [{ teamId: quiet.id, role: 'manager' }]),
      consultant: await staff(t.app, t.db, org.id, [
        { teamId: consultants.id, role: 'member', contactable: true },
      ]),
      bystander: await staff(t.app, t.db, org.id, [member(elsewhere.id)]),
      patient: await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [nurses.id] }),
    };
    await setMode(people.nurseDigest, nurses.id, 'digest');
    await setMode(people.nurseOff, nurses.id, 'off');
    // Nobody in Medical Records takes its notifications as they come: its manager is told (N3).
    await setMode(people.quietMember, quiet.id, 'digest');
    await setMode(people.quietManager, quiet.id, 'off');
  });

  it('a patient’s message reaches every member of each team but the digest and off ones, the individual professional, and the managers of a team nobody hears (N1, N3)', async () => {
    const before = mailbox.emails.length;
    const conversationId = await startConversation(people.patient.client, [
      { teamId: nurses.id },
      { teamId: reception.id },
      { teamId: quiet.id },
      { professionalId: people.consultant.id },
    ]);
    await notifications.tick();

    const received = perRecipient(mailbox.emails.slice(before));
    expect(received).toEqual({
      [people.nurseA.email]: 1,
      [people.nurseB.email]: 1,
      // In two participating teams: still one email per message.
      [people.both.email]: 1,
      [people.receptionist.email]: 1,
      [people.quietManager.email]: 1,
      [people.consultant.email]: 1,
    });

    // The outbox agrees: one row per recipient, all sent, none for the author.
    const message = await latestMessage(t.db, conversationId);
    const rows = await outboxRows(t.db, { messageId: message.id, kind: 'message.notify' });
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    expect(rows).toHaveLength(6);
    const patientUser = await userIdOf(t.db, { patientId: people.patient.id });
    expect(rows.map((r) => r.recipient_user_id)).not.toContain(patientUser);
  });

  it('a professional’s reply reaches the patient once, and the author not at all (N1)', async () => {
    const conversationId = await startConversation(people.patient.client, [{ teamId: nurses.id }]);
    await notifications.tick();
    const before = mailbox.emails.length;

    await expectStatus(
      people.nurseA.client,
      { method: 'POST', url: url.messages(conversationId), payload: { body: 'Yes, before.' } },
      201,
    );
    await notifications.tick();

    const received = perRecipient(mailbox.emails.slice(before));
    expect(received[people.patient.email]).toBe(1);
    expect(received[people.nurseA.email]).toBeUndefined();
    // The rest of the team hears of the reply too; the digest and off members do not.
    expect(received).toEqual({
      [people.patient.email]: 1,
      [people.nurseB.email]: 1,
      [people.both.email]: 1,
    });
  });

  it('a professional who starts a conversation with a patient: the patient hears once (N1)', async () => {
    const before = mailbox.emails.length;
    const response = await expectStatus(
      people.nurseB.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Your results',
          body: 'Please call us.',
          patientId: people.patient.id,
          asTeamId: nurses.id,
        },
      },
      201,
    );
    expect(response.json<{ id: string }>().id).toBeTruthy();
    await notifications.tick();
    const received = perRecipient(mailbox.emails.slice(before));
    expect(received[people.patient.email]).toBe(1);
    expect(received[people.nurseB.email]).toBeUndefined();
  });

  it('tells nobody outside the conversation, and nobody who chose a digest or off, of any message (N1)', () => {
    const subjects = (person: Person) => mailbox.to(person.email).map((e) => e.subject);
    expect(subjects(people.bystander)).toEqual([]);
    expect(subjects(people.nurseOff)).toEqual([]);
    // Digest people get their daily summary (tested with the schedule), never a per-message email.
    expect(subjects(people.nurseDigest)).not.toContain(NEW_MESSAGE);
    expect(subjects(people.quietMember)).not.toContain(NEW_MESSAGE);
  });

  it('a team whose only immediate member is the author: its managers are told (N3)', async () => {
    const org = await createOrganisation(t.db);
    const team = await createTeam(t.db, org.id, { name: 'Phlebotomy' });
    const other = await createTeam(t.db, org.id, { name: 'Outpatients' });
    const writer = await staff(t.app, t.db, org.id, [
      { teamId: team.id, role: 'member' },
      { teamId: other.id, role: 'member' },
    ]);
    const quietOne = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const manager = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'manager' }]);
    const outpatient = await staff(t.app, t.db, org.id, [{ teamId: other.id, role: 'member' }]);
    await setMode(quietOne, team.id, 'off');
    await setMode(manager, team.id, 'digest');
    const person = await signedInPatient(t.app, t.db, [org.id], { careTeamIds: [other.id] });
    const conversationId = await startConversation(person.client, [
      { teamId: team.id },
      { teamId: other.id },
    ]);
    await notifications.tick();
    const before = mailbox.emails.length;

    const reply = await send(writer.client, conversationId, 'We will call you.');
    expect(reply.statusCode).toBe(201);
    await notifications.tick();
    expect(perRecipient(mailbox.emails.slice(before))).toEqual({
      [person.email]: 1,
      [manager.email]: 1,
      [outpatient.email]: 1,
    });
  });
});

describe('emails carry no clinical content (N2)', () => {
  it('no canary from the subject, body or patient details appears in any email', async () => {
    const canary = {
      subject: 'CANARYSUBJECT7f3a',
      body: 'CANARYBODY91c2',
      given: 'Canarygivenqx',
      family: 'Canaryfamilyzw',
      nhsNumber: '9990001239',
      emailLocal: 'canarymailbox5d',
    };
    const org = await createOrganisation(t.db, 'Southmead Community Trust');
    const team = await createTeam(t.db, org.id, { name: 'Diabetes Nurses' });
    const nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
    const person = await signedInPatient(t.app, t.db, [org.id], {
      careTeamIds: [team.id],
      givenName: canary.given,
      familyName: canary.family,
      nhsNumber: canary.nhsNumber,
      email: `${canary.emailLocal}@example.test`,
    });
    const before = mailbox.emails.length;

    const conversationId = await startConversation(person.client, [{ teamId: team.id }], {
      subject: `About ${canary.subject}`,
      body: `My sugar is high ${canary.body}`,
    });
    await notifications.tick();
    const reply = await send(nurse.client, conversationId, `Reply quoting ${canary.body}`);
    expect(reply.statusCode).toBe(201);
    await notifications.tick();

    const emails = mailbox.emails.slice(before);
    expect(emails.map((e) => e.to).sort()).toEqual([person.email, nurse.email].sort());
    const canaries = Object.values(canary);
    for (const email of emails) {
      // The patient's own address is the envelope and To: it may appear there and nowhere else.
      const headersButTo = email.headerLines
        .split('\n')
        .filter((line) => !/^to:/i.test(line))
        .join('\n');
      const places = {
        subject: email.subject,
        text: email.text,
        html: email.html ?? '',
        headers: headersButTo,
        messageId: email.messageId,
      };
      for (const [where, content] of Object.entries(places)) {
        for (const value of canaries) {
          expect(content.toLowerCase(), `${value} in the ${where} of an email`).not.toContain(
            value.toLowerCase(),
          );
        }
      }
      // Nor any record id anywhere in the raw message, To excepted.
      for (const id of [conversationId, person.id, nurse.id, team.id, org.id]) {
        expect(email.raw).not.toContain(id);
      }

      expect(email.subject.toLowerCase()).toContain('new secure message');
      expect(email.text).toContain(
        `You have a new secure message from ${team.name} at ${org.name}`,
      );
      expect(email.html).toContain(team.name);
      expect(email.html).toContain(org.name);

      // The only link is the sign-in page, with no query, fragment or id.
      const signInUrl = `${t.deps.config.publicUrl}/sign-in`;
      const textLinks = email.text.match(/https?:\/\/[^\s<>"']+/g) ?? [];
      const htmlLinks = [...(email.html ?? '').matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
      expect(new Set([...textLinks, ...htmlLinks])).toEqual(new Set([signInUrl]));
    }
  });
});
