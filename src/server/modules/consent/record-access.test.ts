import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
  signInAgain,
} from '../../../../test/consent-world';
import { expectStatus, open, startConversation, url } from '../../../../test/conversation-world';
import {
  type Mailbox,
  outboxRows,
  startMailbox,
  worker,
} from '../../../../test/notifications-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { NotificationWorker } from '../notifications/notifications.worker';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
let t: TestApp;
let w: ConsentWorld;
let mailbox: Mailbox;
let notifications: NotificationWorker;

beforeAll(async () => {
  t = await buildTestApp();
  mailbox = await startMailbox(t.deps.config.mailFrom);
  notifications = worker(t, mailbox.mailer);
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => {
  await notifications.stop();
  await mailbox.close();
  await t.close();
});

interface RecordView {
  access: { basis: string; until: string | null };
  items: { id: string; joined: boolean }[];
}
const recordOf = async (client = w.palsMember.client) =>
  (
    await expectStatus(client, { method: 'GET', url: url.record(w.margaret.id) }, 200)
  ).json<RecordView>();

describe('record access for teams (C2, C3)', () => {
  let palsConversation: string;
  let nursesConversation: string;
  let grantId: string;

  beforeAll(async () => {
    palsConversation = await startConversation(w.margaret.client, [{ teamId: w.pals.id }], {
      subject: 'A complaint',
    });
    nursesConversation = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
      subject: 'Medication',
    });
  });

  it('C2: without record access a team sees only the conversations it takes part in', async () => {
    const view = await recordOf();
    expect(view.access).toEqual({ basis: 'participant', until: null });
    expect(view.items.map((i) => i.id)).toEqual([palsConversation]);
    const refused = await w.palsMember.client.request({
      method: 'GET',
      url: url.conversation(nursesConversation),
    });
    expect(refused.statusCode).toBe(404);
    // A team with no conversation and no access: the record does not exist for it.
    const outsider = await w.outsider.client.request({
      method: 'GET',
      url: url.record(w.margaret.id),
    });
    expect(outsider.statusCode).toBe(404);
  });

  it('C2: the patient shares the record with PALS for 7 days by default; PALS reads all of it, read-only until joining (C3)', async () => {
    const response = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: consentUrl.grants,
        payload: { teamId: w.pals.id, conversationId: palsConversation },
      },
      201,
    );
    const grant = response.json<{ id: string; expiresAt: string; status: string }>();
    grantId = grant.id;
    expect(grant.status).toBe('active');
    expect(new Date(grant.expiresAt).getTime() - t.clock.now().getTime()).toBe(7 * DAY);
    const view = await recordOf();
    expect(view.access.basis).toBe('record_grant');
    expect(view.items.map((i) => i.id).sort()).toEqual(
      [palsConversation, nursesConversation].sort(),
    );
    const thread = await open(w.palsMember.client, nursesConversation);
    expect(thread.readOnly).toBe(true);
    expect(thread.actions.join).toBe(true);
    const patient = await w.palsMember.client.request({
      method: 'GET',
      url: `/api/v1/patients/${w.margaret.id}`,
    });
    expect(patient.statusCode).toBe(200);
  });

  it('C2: the grant expires by itself (injected clock): 7 days later PALS sees only its own conversation', async () => {
    t.clock.advance(7 * DAY + 1);
    await signInAgain(t.app, w);
    const view = await recordOf();
    expect(view.access.basis).toBe('participant');
    expect(view.items.map((i) => i.id)).toEqual([palsConversation]);
    expect(
      (
        await w.palsMember.client.request({
          method: 'GET',
          url: url.conversation(nursesConversation),
        })
      ).statusCode,
    ).toBe(404);
    await expectRefused(
      t.db,
      w.margaret.client,
      { method: 'POST', url: consentUrl.revokeGrant(grantId) },
      { status: 409, code: 'record_access.not_active' },
    );
  });

  it('C2: a grant can be revoked at once; the next request has no access', async () => {
    const response = await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.grants, payload: { teamId: w.pals.id, days: 30 } },
      201,
    );
    const id = response.json<{ id: string }>().id;
    await open(w.palsMember.client, nursesConversation);
    await expectStatus(w.margaret.client, { method: 'POST', url: consentUrl.revokeGrant(id) }, 200);
    expect(
      (
        await w.palsMember.client.request({
          method: 'GET',
          url: url.conversation(nursesConversation),
        })
      ).statusCode,
    ).toBe(404);
    const grants = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.myGrants },
      200,
    );
    expect(grants.json<{ items: { status: string }[] }>().items.map((g) => g.status)).toEqual([
      'revoked',
      'expired',
    ]);
  });

  it('refuses bad grants with stable codes and changes nothing', async () => {
    const other = await import('../../../../test/factories');
    const elsewhere = await other.createOrganisation(t.db);
    const foreignTeam = await other.createTeam(t.db, elsewhere.id);
    for (const [payload, status, code] of [
      [{ teamId: w.pals.id, days: 0 }, 400, 'request.invalid'],
      [{ teamId: w.pals.id, days: 91 }, 400, 'request.invalid'],
      [{ teamId: 'not-a-uuid' }, 400, 'request.invalid'],
      [{ teamId: foreignTeam.id }, 422, 'record_access.team_not_available'],
      [
        { teamId: w.pals.id, conversationId: '00000000-0000-4000-8000-000000000000' },
        404,
        'conversation.not_found',
      ],
    ] as const) {
      await expectRefused(
        t.db,
        w.margaret.client,
        { method: 'POST', url: consentUrl.grants, payload },
        { status, code },
      );
    }
    await expectRefused(
      t.db,
      w.nurse.client,
      { method: 'POST', url: consentUrl.grants, payload: { teamId: w.pals.id } },
      { status: 403, code: 'record_access.patients_only' },
    );
  });
});

describe('break-glass (C2, C4, N2)', () => {
  it('a professional without access opens the record for the rest of the session (≤ 4 h); patient and carers are emailed; the coordinator reviews it', async () => {
    await signInAgain(t.app, w);
    await makeCarer(w.margaret, w.carol, 'view');
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    expect(
      (await w.outsider.client.request({ method: 'GET', url: url.conversation(conversationId) }))
        .statusCode,
    ).toBe(404);
    const [nhs] = [w.margaret.id];
    expect(nhs).toBeTruthy();
    const { nhsNumber } = (
      await expectStatus(
        w.nurse.client,
        { method: 'GET', url: `/api/v1/patients/${w.margaret.id}` },
        200,
      )
    ).json<{ nhsNumber: string }>();

    await expectRefused(
      t.db,
      w.outsider.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'curiosity', detail: 'x' },
      },
      { status: 400, code: 'request.invalid' },
    );
    await expectRefused(
      t.db,
      w.nurse.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'emergency_care', detail: 'Collapsed' },
      },
      { status: 409, code: 'break_glass.not_needed' },
    );
    await expectRefused(
      t.db,
      w.margaret.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'emergency_care', detail: 'x' },
      },
      { status: 403, code: 'break_glass.staff_only' },
    );
    const opened = await expectStatus(
      w.outsider.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'emergency_care', detail: 'Brought in unconscious' },
      },
      201,
    );
    const glass = opened.json<{ id: string; patientId: string; expiresAt: string }>();
    expect(glass.patientId).toBe(w.margaret.id);
    expect(new Date(glass.expiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(
      4 * HOUR,
    );

    const view = await recordOf(w.outsider.client);
    expect(view.access.basis).toBe('break_glass');
    expect(view.items.map((i) => i.id)).toContain(conversationId);
    await open(w.outsider.client, conversationId);

    // Emails: to the patient and to the carer, content-free (N2).
    const rows = (await outboxRows(t.db, { kind: 'record.break_glass' })).filter(
      (r) => r.payload.breakGlassId === glass.id,
    );
    expect(rows).toHaveLength(2);
    await notifications.tick();
    const emails = [...mailbox.to(w.margaret.email), ...mailbox.to(w.carol.email)].filter((e) =>
      e.subject.includes('emergency access'),
    );
    expect(emails).toHaveLength(2);
    for (const email of emails) {
      expect(email.text).not.toContain('Margaret');
      expect(email.text).not.toContain(nhsNumber);
      expect(email.text).not.toContain('unconscious');
    }

    // The coordinator's review list names who, whom and why; review once.
    const reviews = await expectStatus(
      w.coordinator.client,
      { method: 'GET', url: consentUrl.breakGlass },
      200,
    );
    const item = reviews
      .json<{
        items: { id: string; reason: string; detail: string; professional: { name: string } }[];
      }>()
      .items.find((i) => i.id === glass.id);
    expect(item).toMatchObject({
      reason: 'emergency_care',
      detail: 'Brought in unconscious',
      professional: { name: 'Olive Outsider' },
    });
    await expectStatus(
      w.coordinator.client,
      { method: 'POST', url: consentUrl.review(glass.id) },
      204,
    );
    await expectRefused(
      t.db,
      w.coordinator.client,
      { method: 'POST', url: consentUrl.review(glass.id) },
      { status: 409, code: 'break_glass.already_reviewed' },
    );
    expect(
      (await w.nurse.client.request({ method: 'GET', url: consentUrl.breakGlass })).statusCode,
    ).toBe(403);

    // "Who has seen my record" says who, and why.
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    const items = log.json<{ items: { who: string; what: string; why: string }[] }>().items;
    expect(items.find((i) => i.what === 'Used emergency access to your record')?.why).toBe(
      'Emergency access (break-glass): emergency care',
    );
    expect(
      items.find((i) => i.what === 'Read a conversation' && i.who.startsWith('Olive'))?.why,
    ).toBe('Emergency access (break-glass)');
    expect(items.map((i) => i.what)).toEqual(
      expect.arrayContaining([
        'Shared your record with a team',
        'Stopped sharing your record with a team',
      ]),
    );

    // Four hours on, the access has ended by itself.
    t.clock.advance(4 * HOUR + 1);
    await signInAgain(t.app, w);
    expect(
      (await w.outsider.client.request({ method: 'GET', url: url.conversation(conversationId) }))
        .statusCode,
    ).toBe(404);
  });

  it('break-glass ends with the session it was opened in: signing out ends it', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const { nhsNumber } = (
      await expectStatus(
        w.nurse.client,
        { method: 'GET', url: `/api/v1/patients/${w.margaret.id}` },
        200,
      )
    ).json<{ nhsNumber: string }>();
    await expectStatus(
      w.outsider.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'safeguarding', detail: 'Concern raised' },
      },
      201,
    );
    await open(w.outsider.client, conversationId);
    await expectStatus(w.outsider.client, { method: 'DELETE', url: '/api/v1/session' }, 204);
    await signInAgain(t.app, w);
    expect(
      (await w.outsider.client.request({ method: 'GET', url: url.conversation(conversationId) }))
        .statusCode,
    ).toBe(404);
  });
});
