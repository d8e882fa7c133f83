import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentWorld,
  type AppointmentView,
  type AppointmentWorld,
  book,
  booking,
  DAY_MS,
  update,
} from '../../../../test/appointment-world';
import { consentUrl, makeCarer } from '../../../../test/consent-world';
import { expectStatus, patient as signedInPatient } from '../../../../test/conversation-world';
import {
  type Mailbox,
  outboxRows,
  startMailbox,
  userIdOf,
  worker,
} from '../../../../test/notifications-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { ReceivedEmail } from '../../platform/mail/receiver';
import { appointmentUpdateEmail } from '../../platform/mail/templates';
import { APPOINTMENT_UPDATED } from '../notifications/notifications.appointments';

let t: TestApp;
let w: AppointmentWorld;
let mailbox: Mailbox;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
  mailbox = await startMailbox(t.deps.config.mailFrom);
});
afterAll(async () => {
  await mailbox.close();
  await t.close();
});

/** One delivery run: a worker that starts, works through what is due, and stops. */
async function deliverNow(): Promise<void> {
  const notifications = worker(t, mailbox.mailer);
  try {
    await notifications.tick();
  } finally {
    await notifications.stop();
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** N2: nothing of the appointment — date, time, place, team, clinician, patient — anywhere in the email. */
function expectContentFree(email: ReceivedEmail, appointment: AppointmentView) {
  const starts = new Date(appointment.startsAt);
  const forbidden = [
    appointment.startsAt.slice(0, 10),
    appointment.startsAt.slice(11, 16),
    starts.toLocaleDateString('en-GB'),
    MONTHS[starts.getUTCMonth()]!,
    MONTHS[starts.getUTCMonth()]!.slice(0, 3) + ' ',
    appointment.location,
    'Outpatients',
    'Heart Clinic',
    'Central Appointments',
    'Hannah',
    'Margaret',
    'Thompson',
    appointment.id,
    w.margaret.id,
  ];
  for (const text of [email.subject, email.text, email.html ?? '', email.headerLines]) {
    for (const word of forbidden) expect(text, `"${word}" in the email`).not.toContain(word);
  }
  expect(email.subject).toBe('You have an appointment update');
  expect(email.text).toContain('You have an appointment update from Riverside Hospital.');
  expect(email.text).toContain(`${t.deps.config.publicUrl}/sign-in`);
}

describe('appointment updates are emailed, content-free, to the patient and carers (N2, N4)', () => {
  let appointment: AppointmentView;
  const addresses = () => [w.margaret.email, w.carol.email, w.victor.email, w.rita.email];

  it('booking one emails the patient and each carer with consent in force', async () => {
    appointment = await book(w.clerk.client, booking(w, t.clock.now(), 21));
    await deliverNow();
    for (const address of addresses()) {
      const emails = mailbox.to(address);
      expect(emails, address).toHaveLength(1);
      expectContentFree(emails[0]!, appointment);
    }
    // Staff are not emailed about it.
    expect(mailbox.to(w.clerk.email)).toHaveLength(0);
    expect(mailbox.to(w.clinician.email)).toHaveLength(0);
  });

  it('changing how to prepare emails them (a fasting instruction must not be missed); so does moving it', async () => {
    const prepared = await update(w.clerk.client, appointment.id, {
      version: 1,
      preparation: 'Fast for 2 hours.',
    });
    expect(prepared.statusCode, prepared.body).toBe(200);
    await deliverNow();
    for (const address of addresses()) {
      const emails = mailbox.to(address);
      expect(emails, address).toHaveLength(2);
      expectContentFree(emails[1]!, appointment);
      expect(emails[1]!.text).not.toContain('Fast for 2 hours');
    }

    const moved = await update(w.clerk.client, appointment.id, {
      version: 2,
      startsAt: new Date(t.clock.now().getTime() + 22 * DAY_MS).toISOString(),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    appointment = moved.json<AppointmentView>();
    await deliverNow();
    for (const address of addresses()) {
      const emails = mailbox.to(address);
      expect(emails, address).toHaveLength(3);
      expectContentFree(emails[2]!, appointment);
    }
  });

  it('cancelling emails them; a carer whose consent ended before delivery gets nothing (C1, N4)', async () => {
    const cancelled = await update(w.clerk.client, appointment.id, {
      version: 3,
      status: 'cancelled',
      reason: 'Consultant on leave',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(w.ritasConsent) },
      200,
    );
    await deliverNow();
    for (const address of [w.margaret.email, w.carol.email, w.victor.email]) {
      const emails = mailbox.to(address);
      expect(emails, address).toHaveLength(4);
      expectContentFree(emails[3]!, appointment);
      expect(emails[3]!.text).not.toContain('Consultant on leave');
    }
    expect(mailbox.to(w.rita.email)).toHaveLength(3);
    const rita = await userIdOf(t.db, { patientId: w.rita.id });
    const rows = await outboxRows(t.db, { kind: APPOINTMENT_UPDATED });
    const ritas = rows.filter((r) => r.recipient_user_id === rita);
    expect(ritas.map((r) => r.status)).toEqual([
      'sent',
      'sent',
      'sent',
      expect.stringMatching(/dropped|cancelled/),
    ]);
  });

  it('a redelivered row is the same email: one Message-ID per (event, recipient)', () => {
    const ids = mailbox.to(w.margaret.email).map((e) => e.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('delivery re-checks consent: a carer whose consent ran out after queueing is dropped (N4)', async () => {
    const eve = await signedInPatient(t.app, t.db, [w.org.id], { givenName: 'Eve' });
    const tomorrow = new Date(t.clock.now().getTime() + DAY_MS).toISOString().slice(0, 10);
    await makeCarer(w.margaret, eve, 'view', { endsOn: tomorrow });
    const booked = await book(w.clerk.client, booking(w, t.clock.now(), 30));
    t.clock.advance(3 * DAY_MS);
    await deliverNow();
    expect(mailbox.to(eve.email)).toHaveLength(0);
    expectContentFree(mailbox.to(w.margaret.email).at(-1)!, booked);
    const eveUser = await userIdOf(t.db, { patientId: eve.id });
    const rows = await outboxRows(t.db, { kind: APPOINTMENT_UPDATED });
    expect(
      rows.filter((r) => r.recipient_user_id === eveUser).map((r) => [r.status, r.dropped_reason]),
    ).toEqual([['dropped', 'no_access']]);
  });
});

describe('the appointment update template (N2)', () => {
  it('refuses anything beyond organisation, link and footer — even when cast', () => {
    const base = {
      organisationName: 'Riverside Hospital',
      signInUrl: 'https://example.test/sign-in',
      footer: 'Riverside Hospital',
    };
    for (const extra of [
      { startsAt: '2026-12-01T10:00:00Z' },
      { location: 'Room 4' },
      { teamName: 'Heart Clinic' },
      { patientName: 'Margaret' },
    ]) {
      const input = { ...base, ...extra } as unknown as Parameters<
        typeof appointmentUpdateEmail
      >[0];
      expect(() => appointmentUpdateEmail(input)).toThrow(/does not take/);
    }
    expect(appointmentUpdateEmail(base).subject).toBe('You have an appointment update');
  });
});
