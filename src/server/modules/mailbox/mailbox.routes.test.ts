import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createPatient, createProfessional } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { startMailCapture } from '../../platform/mail/capture';
import {
  createSmtpMailer,
  notificationMessageId,
  type SmtpMailer,
} from '../../platform/mail/mailer';
import type { SmtpReceiver } from '../../platform/mail/receiver';
import { newMessageEmail, signInLink } from '../../platform/mail/templates';
import type { CapturedEmailView } from './mailbox.contracts';

interface Page {
  items: CapturedEmailView[];
  nextCursor: string | null;
}

let t: TestApp;
let capture: SmtpReceiver;
let mailer: SmtpMailer;
let staff: Client;
beforeAll(async () => {
  t = await buildTestApp();
  // As main.ts does in demo mode: the capture on loopback, and the app's mailer sending to it.
  capture = await startMailCapture({ db: t.db, clock: t.clock.now });
  mailer = createSmtpMailer({ smtpUrl: capture.url, mailFrom: t.deps.config.mailFrom });
  const organisation = await createOrganisation(t.db);
  const professional = await createProfessional(t.db, organisation.id);
  staff = await signInAs(t.app, professional.email);
});
afterAll(async () => {
  mailer.close();
  await capture.close();
  await t.close();
});

async function send(to: string, teamName = 'PALS') {
  const messageId = notificationMessageId(
    ['message.sent', crypto.randomUUID(), to],
    t.deps.config.mailFrom,
  );
  await mailer.send({
    to,
    messageId,
    ...newMessageEmail({
      organisationName: 'Demo Trust',
      teamName,
      signInUrl: signInLink(t.deps.config.publicUrl),
      footer: 'Demo Trust',
    }),
  });
  t.clock.advance(1_000);
  return messageId;
}

async function list(client: Client, query = ''): Promise<Page> {
  const response = await client.request({ method: 'GET', url: `/api/v1/dev/mailbox${query}` });
  expect(response.statusCode).toBe(200);
  return response.json<Page>();
}

describe('the development mailbox (demo only)', () => {
  it('lists what the capture received, newest first, with text and HTML', async () => {
    await staff.request({ method: 'DELETE', url: '/api/v1/dev/mailbox' });
    const first = await send('nurse.a@example.test', 'Cardiology <Nurses>');
    const second = await send('nurse.b@example.test');

    const page = await list(staff);
    expect(page.items.map((e) => e.messageId)).toEqual([second, first]);
    const email = page.items[1]!;
    expect(Object.keys(email).sort()).toEqual([
      'from',
      'html',
      'id',
      'messageId',
      'receivedAt',
      'subject',
      'text',
      'to',
    ]);
    expect(email).toMatchObject({
      messageId: first,
      from: 'no-reply@localhost',
      to: 'nurse.a@example.test',
      subject: 'You have a new secure message',
    });
    expect(email.text).toContain(
      'You have a new secure message from Cardiology <Nurses> at Demo Trust.',
    );
    expect(email.html).toContain('Cardiology &lt;Nurses&gt;');
    expect(new Date(email.receivedAt).toISOString()).toBe(email.receivedAt);
    expect(email.text).toContain('http://localhost:3000/sign-in');
  });

  it('filters by recipient and pages with a cursor', async () => {
    await staff.request({ method: 'DELETE', url: '/api/v1/dev/mailbox' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await send('pager@example.test'));
    await send('someone.else@example.test');

    const first = await list(staff, '?to=Pager@Example.test&limit=2');
    expect(first.items.map((e) => e.messageId)).toEqual([ids[4], ids[3]]);
    const second = await list(staff, `?to=pager@example.test&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((e) => e.messageId)).toEqual([ids[2], ids[1]]);
    const third = await list(staff, `?to=pager@example.test&limit=2&cursor=${second.nextCursor}`);
    expect(third.items.map((e) => e.messageId)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
  });

  it('is open to anyone signed in, patients included, and empties on DELETE', async () => {
    await send('patient.inbox@example.test');
    const organisation = await createOrganisation(t.db);
    const patient = await createPatient(t.db, [organisation.id]);
    const patientClient = await signInAs(t.app, patient.email);
    expect((await list(patientClient)).items.length).toBeGreaterThan(0);

    const cleared = await patientClient.request({ method: 'DELETE', url: '/api/v1/dev/mailbox' });
    expect(cleared.statusCode).toBe(204);
    expect((await list(staff)).items).toEqual([]);
  });

  it('needs a session, and the CSRF token to clear', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/dev/mailbox' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'auth.unauthenticated' });
    const anonymousClear = await t.app.inject({ method: 'DELETE', url: '/api/v1/dev/mailbox' });
    expect(anonymousClear.statusCode).toBe(401);

    const withoutToken = await staff.request({
      method: 'DELETE',
      url: '/api/v1/dev/mailbox',
      headers: { 'x-csrf-token': 'wrong' },
    });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json()).toMatchObject({ code: 'auth.csrf_failed' });
  });

  it('refuses unknown query fields', async () => {
    const unknown = await staff.request({ method: 'GET', url: '/api/v1/dev/mailbox?subject=x' });
    expect(unknown.statusCode).toBe(400);
  });

  const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  it.each([
    ['not a cursor at all', 'nonsense'],
    ['an empty cursor', ''],
    ['a key of the wrong size', cursorOf(['2026-01-01T00:00:00.000Z'])],
    ['an id that is not a uuid', cursorOf(['2026-01-01T00:00:00.000Z', 'x'])],
    ['a time that is not one', cursorOf(['yesterday', crypto.randomUUID()])],
    ['30 February', cursorOf(['2026-02-30T00:00:00.000Z', crypto.randomUUID()])],
    ['the year 0000', cursorOf(['0000-01-01T00:00:00.000Z', crypto.randomUUID()])],
  ])(
    'refuses %s as a cursor with 400 request.invalid_cursor, like every list',
    async (_name, cursor) => {
      const response = await staff.request({
        method: 'GET',
        url: `/api/v1/dev/mailbox?cursor=${encodeURIComponent(cursor)}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'request.invalid_cursor' });
    },
  );

  it('is in the OpenAPI document while the capture is on', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId?: string }>>;
    }>();
    expect(document.paths['/api/v1/dev/mailbox']?.get?.operationId).toBe('listCapturedEmails');
    expect(document.paths['/api/v1/dev/mailbox']?.delete?.operationId).toBe('clearCapturedEmails');
  });
});

describe('the development mailbox with a real SMTP server configured', () => {
  let real: TestApp;
  beforeAll(async () => {
    real = await buildTestApp({ env: { SMTP_URL: 'smtp://mail.example.test:587' } });
  });
  afterAll(() => real.close());

  it('does not exist', async () => {
    expect(real.deps.config.mailCapture).toBe(false);
    const organisation = await createOrganisation(real.db);
    const professional = await createProfessional(real.db, organisation.id);
    const client = await signInAs(real.app, professional.email);
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await client.request({ method, url: '/api/v1/dev/mailbox' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'route.not_found' });
    }
    const document = (await real.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(document.paths['/api/v1/dev/mailbox']).toBeUndefined();
  });
});
