import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
  signInAgain,
} from '../../../../test/consent-world';
import { expectStatus, send, startConversation } from '../../../../test/conversation-world';
import {
  eventually,
  type Mailbox,
  outboxRows,
  startMailbox,
  userIdOf,
  worker,
} from '../../../../test/notifications-world';
import { listen, openStream, type Stream } from '../../../../test/live-stream';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { NotificationWorker } from '../notifications/notifications.worker';

const DAY = 24 * 60 * 60 * 1000;
let t: TestApp;
let w: ConsentWorld;
let mailbox: Mailbox;
let notifications: NotificationWorker;
let baseUrl: string;
const streams: Stream[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  baseUrl = await listen(t.app);
  mailbox = await startMailbox(t.deps.config.mailFrom);
  notifications = worker(t, mailbox.mailer);
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await notifications.stop();
  await mailbox.close();
  await t.close();
});

const NEW_MESSAGE = 'You have a new secure message';

describe('carers hear what the patient hears, only while consent lasts (N1, N4, C1)', () => {
  it('N1: a carer with consent gets the same content-free email as the patient when staff write', async () => {
    const consentId = await makeCarer(w.margaret, w.carol, 'view');
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
      subject: 'Secret subject canary',
    });
    expect((await send(w.nurse.client, conversationId, 'Body canary')).statusCode).toBe(201);
    await notifications.tick();
    const toPatient = mailbox.to(w.margaret.email).filter((e) => e.subject === NEW_MESSAGE);
    const toCarer = mailbox.to(w.carol.email).filter((e) => e.subject === NEW_MESSAGE);
    expect(toPatient).toHaveLength(1);
    expect(toCarer).toHaveLength(1);
    expect(toCarer[0]!.text).toBe(toPatient[0]!.text);
    expect(toCarer[0]!.text).not.toMatch(/canary|Margaret/);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
  });

  it('N4: a notification queued while consent was in force is dropped at delivery once it has expired', async () => {
    const endsOn = new Date(t.clock.now().getTime() + DAY).toISOString().slice(0, 10);
    await makeCarer(w.margaret, w.victor, 'view', { endsOn });
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    await notifications.stop(); // nothing delivered until the consent has run out
    expect((await send(w.nurse.client, conversationId, 'News')).statusCode).toBe(201);
    const victorUser = await userIdOf(t.db, { patientId: w.victor.id });
    const mine = async () =>
      (await outboxRows(t.db, { kind: 'message.notify' })).filter(
        (r) => r.recipient_user_id === victorUser && r.payload.conversationId === conversationId,
      );
    expect((await mine()).map((r) => r.status)).toEqual(['pending']);
    t.clock.advance(2 * DAY);
    await signInAgain(t.app, w);
    notifications = worker(t, mailbox.mailer);
    await notifications.tick();
    expect((await mine()).map((r) => [r.status, r.dropped_reason])).toEqual([
      ['dropped', 'no_access'],
    ]);
    expect(mailbox.to(w.victor.email).filter((e) => e.subject === NEW_MESSAGE)).toEqual([]);
  });

  it('C1: a carer’s live stream carries the patient’s conversations, and ends at the next event after revocation', async () => {
    const consentId = await makeCarer(w.margaret, w.carol, 'message');
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const stream = await openStream(baseUrl, w.carol.client.cookie);
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect((await send(w.nurse.client, conversationId, 'First')).statusCode).toBe(201);
    await stream.next(conversationId);

    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
    const seen = stream.events.length;
    expect((await send(w.nurse.client, conversationId, 'Second')).statusCode).toBe(201);
    await eventually(() => (stream.ended ? true : undefined), 'the carer’s stream to end');
    expect(stream.events.length).toBe(seen);
  });
});
