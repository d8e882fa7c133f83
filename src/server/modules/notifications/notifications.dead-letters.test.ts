import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentWorld,
  type AppointmentWorld,
  book,
  booking,
} from '../../../../test/appointment-world';
import { expectStatus } from '../../../../test/conversation-world';
import {
  type Mailbox,
  outboxRows,
  startMailbox,
  worker,
} from '../../../../test/notifications-world';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { MAX_ATTEMPTS } from '../../platform/outbox/outbox';

let t: TestApp;
let w: AppointmentWorld;
let down: Mailbox;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
  down = await startMailbox(t.deps.config.mailFrom);
  await down.stop();
});
afterAll(async () => {
  await down.close();
  await t.close();
});

/** Every delivery attempt the outbox allows, with the mail server down throughout. */
async function failEveryAttempt() {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const notifications = worker(t, down.mailer);
    try {
      await notifications.tick();
    } finally {
      await notifications.stop();
    }
    t.clock.advance(2 * 60 * 60_000);
  }
}

const deadLettersOf = async (email: string, organisationId: string) => {
  const client = await signInAs(t.app, email);
  const listed = await expectStatus(
    client,
    { method: 'GET', url: `/api/v1/organisations/${organisationId}/dead-letters` },
    200,
  );
  return listed.json<{ items: { id: number; kind: string; recipient: string }[] }>().items;
};

describe('failed notifications to patients and carers reach the coordinators (N4)', () => {
  it('an appointment email that never went shows in the organisation’s list', async () => {
    const appointment = await book(w.clerk.client, booking(w, t.clock.now()));
    await failEveryAttempt();

    const dead = (await outboxRows(t.db)).filter(
      (row) => row.payload.appointmentId === appointment.id && row.status === 'dead',
    );
    // Margaret and her carers in force: none of them is staff of any organisation.
    expect(dead.length).toBeGreaterThanOrEqual(2);
    const listed = await deadLettersOf(w.coordinator.email, w.org.id);
    const mine = listed
      .filter((item) => dead.some((row) => row.id === item.id))
      .map(({ id, kind, recipient }) => ({ id, kind, recipient }));
    expect(mine.sort((a, b) => a.id - b.id)).toEqual(
      dead
        .map((row) => ({ id: row.id, kind: 'appointment.updated', recipient: 'A patient' }))
        .sort((a, b) => a.id - b.id),
    );
  });
});
