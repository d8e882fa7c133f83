import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  invite,
  makeCarer,
  signInAgain,
} from '../../../../test/consent-world';
import {
  conversationState,
  expectStatus,
  open,
  send,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { outboxRows, userIdOf } from '../../../../test/notifications-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

const DAY = 24 * 60 * 60 * 1000;
let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

const consentRows = () =>
  queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from carer_consents`);

describe('carer invitations (C1, C5)', () => {
  it('C5: a P9 patient invites; the code is shown once and only its hash is stored', async () => {
    const { id, code } = await invite(w.margaret.client, 'someone@example.test', 'view');
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [row] = await queryRows<{ token_hash: string }>(
      t.db,
      sql`select token_hash from carer_invitations where id = ${id}`,
    );
    expect(row?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.token_hash).not.toContain(code.replace(/-/g, ''));
    const outbox = await outboxRows(t.db, { kind: 'carer.invited' });
    expect(outbox.some((r) => r.payload.invitationId === id)).toBe(true);
    expect(JSON.stringify(outbox)).not.toContain(code);
  });

  it('C5: a patient not verified to P9 may not invite, nor accept', async () => {
    await expectRefused(
      t.db,
      w.unverified.client,
      {
        method: 'POST',
        url: consentUrl.invitations,
        payload: { email: 'x@example.test', level: 'view' },
      },
      { status: 403, code: 'identity.verification_required' },
    );
    const { code } = await invite(w.margaret.client, w.unverified.email, 'view');
    await expectRefused(
      t.db,
      w.unverified.client,
      { method: 'POST', url: consentUrl.accept, payload: { code } },
      { status: 403, code: 'identity.verification_required' },
    );
  });

  it('refuses bad input with stable codes and changes nothing', async () => {
    const bad: [Record<string, unknown>, number, string][] = [
      [{ email: 'not-an-email', level: 'view' }, 400, 'request.invalid'],
      [{ email: 'a@example.test', level: 'admin' }, 400, 'request.invalid'],
      [{ email: 'a@example.test', level: 'view', endsOn: '2020-01-01' }, 400, 'request.invalid'],
      [{ email: 'a@example.test', level: 'view', witnessedBy: 'Someone' }, 400, 'request.invalid'],
      [{ email: w.margaret.email, level: 'view' }, 400, 'request.invalid'],
      [{ email: 'a@example.test', level: 'view', extra: 1 }, 400, 'request.invalid'],
    ];
    for (const [payload, status, code] of bad) {
      await expectRefused(
        t.db,
        w.margaret.client,
        { method: 'POST', url: consentUrl.invitations, payload },
        { status, code },
      );
    }
    for (const [code, status, problem] of [
      ['nonsense', 400, 'request.invalid'],
      ['AAAA-AAAA-AAAA', 404, 'carer.invitation_not_found'],
    ] as const) {
      await expectRefused(
        t.db,
        w.carol.client,
        { method: 'POST', url: consentUrl.accept, payload: { code } },
        { status, code: problem },
      );
    }
  });

  it('staff without record access cannot record consent; staff with it must name the witness', async () => {
    const payload = { email: w.carol.email, level: 'view', patientId: w.margaret.id };
    await expectRefused(
      t.db,
      w.palsMember.client,
      {
        method: 'POST',
        url: consentUrl.invitations,
        payload: { ...payload, witnessedBy: 'Ward clerk' },
      },
      { status: 404, code: 'patient.not_found' },
    );
    await expectRefused(
      t.db,
      w.nurse.client,
      { method: 'POST', url: consentUrl.invitations, payload },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body', code: 'carer.paper_form_required' }],
      },
    );
  });

  it('an invitation is single-use, the patient cannot accept their own, and a cancelled one is gone', async () => {
    const { code } = await invite(w.margaret.client, 'other@example.test', 'view');
    await expectRefused(
      t.db,
      w.margaret.client,
      { method: 'POST', url: consentUrl.accept, payload: { code } },
      { status: 422, code: 'carer.self_invitation' },
    );
    const cancelled = await invite(w.margaret.client, 'third@example.test', 'view');
    await expectStatus(
      w.margaret.client,
      { method: 'DELETE', url: consentUrl.invitation(cancelled.id) },
      204,
    );
    await expectRefused(
      t.db,
      w.victor.client,
      { method: 'POST', url: consentUrl.accept, payload: { code: cancelled.code } },
      { status: 410, code: 'carer.invitation_expired' },
    );
    const before = (await consentRows())[0]?.n;
    const consentId = await makeCarer(w.margaret, w.victor, 'view');
    expect(consentId).toBeTruthy();
    expect((await consentRows())[0]?.n).toBe((before ?? 0) + 1);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
  });

  it('an invitation not accepted within 14 days lapses (injected clock)', async () => {
    const { code } = await invite(w.margaret.client, w.victor.email, 'view');
    t.clock.advance(15 * DAY);
    await signInAgain(t.app, w);
    await expectRefused(
      t.db,
      w.victor.client,
      { method: 'POST', url: consentUrl.accept, payload: { code } },
      { status: 410, code: 'carer.invitation_expired' },
    );
  });
});

describe('carers in messaging (C1, M1, N1)', () => {
  it('a carer with view reads the patient’s conversations but cannot write; with message, writes as themselves', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
      subject: 'Blood test',
    });
    const viewId = await makeCarer(w.margaret, w.victor, 'view');
    const messageId = await makeCarer(w.margaret, w.carol, 'message');

    const cared = await expectStatus(
      w.carol.client,
      { method: 'GET', url: consentUrl.caredFor },
      200,
    );
    expect(
      cared.json<{ items: { patient: { id: string } }[] }>().items.map((i) => i.patient.id),
    ).toEqual([w.margaret.id]);
    const list = await expectStatus(
      w.victor.client,
      { method: 'GET', url: consentUrl.caredForConversations(w.margaret.id) },
      200,
    );
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(
      conversationId,
    );

    const asViewer = await open(w.victor.client, conversationId);
    expect(asViewer.readOnly).toBe(true);
    expect(asViewer.actions.reply).toBe(false);
    const before = await conversationState(t.db, conversationId);
    const refused = await send(w.victor.client, conversationId, 'Hello from Victor');
    expect(refused.statusCode).toBe(403);
    expect(await conversationState(t.db, conversationId)).toEqual(before);

    const sent = await send(w.carol.client, conversationId, 'Hello from Carol');
    expect(sent.statusCode).toBe(201);
    const thread = await open(w.nurse.client, conversationId);
    const last = thread.messages.at(-1)!;
    expect(last.authorKind).toBe('carer');
    expect(last.authorName).toMatch(/^Carol .* \(carer\)$/);

    // M1: with message consent, the carer starts a conversation on the patient's behalf.
    const started = await expectStatus(
      w.carol.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'Parking',
          body: 'Where can we park?',
          recipients: [{ teamId: w.pals.id }],
          patientId: w.margaret.id,
        },
      },
      201,
    );
    const started_ = started.json<{
      id: string;
      patient: { id: string };
      participants: { kind: string; name: string; detail: string | null }[];
    }>();
    expect(started_.patient.id).toBe(w.margaret.id);
    expect(started_.participants.map((p) => p.kind).sort()).toEqual(['carer', 'patient', 'team']);
    expect(started_.participants.find((p) => p.kind === 'carer')).toMatchObject({
      name: w.carol.name,
      detail: 'Carer',
    });
    await expectRefused(
      t.db,
      w.victor.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'x',
          body: 'y',
          recipients: [{ teamId: w.pals.id }],
          patientId: w.margaret.id,
        },
      },
      { status: 403, code: 'conversation.carer_view_only' },
    );
    await expectStatus(w.margaret.client, { method: 'POST', url: consentUrl.revoke(viewId) }, 200);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(messageId) },
      200,
    );
  });

  it('C1: revocation takes effect on the very next request, drops pending notifications and ends copy-ins', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const consentId = await makeCarer(w.margaret, w.carol, 'message');
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.carers(conversationId), payload: { consentId } },
      200,
    );
    const copied = await open(w.margaret.client, conversationId);
    expect(copied.participants.some((p) => p.kind === 'carer' && p.active)).toBe(true);

    // N1: staff write → the patient and the carer are queued a notification.
    expect((await send(w.nurse.client, conversationId, 'Your results are ready')).statusCode).toBe(
      201,
    );
    const carolUser = await userIdOf(t.db, { patientId: w.carol.id });
    const pending = (await outboxRows(t.db, { kind: 'message.notify' })).filter(
      (r) => r.recipient_user_id === carolUser && r.payload.conversationId === conversationId,
    );
    expect(pending.map((r) => r.status)).toEqual(['pending']);

    await open(w.carol.client, conversationId);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );

    const gone = await w.carol.client.request({
      method: 'GET',
      url: url.conversation(conversationId),
    });
    expect(gone.statusCode).toBe(404);
    const list = await w.carol.client.request({
      method: 'GET',
      url: consentUrl.caredForConversations(w.margaret.id),
    });
    expect(list.statusCode).toBe(404);
    const after = (await outboxRows(t.db, { kind: 'message.notify' })).filter(
      (r) => r.id === pending[0]!.id,
    );
    expect(after.map((r) => [r.status, r.dropped_reason])).toEqual([
      ['dropped', 'consent_revoked'],
    ]);
    const thread = await open(w.margaret.client, conversationId);
    expect(thread.participants.filter((p) => p.kind === 'carer').map((p) => p.active)).toEqual([
      false,
    ]);
    // Revoking again is refused and changes nothing.
    await expectRefused(
      t.db,
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      { status: 409, code: 'carer.consent_not_active' },
    );
  });

  it('C1: a consent with an end date stops at its end (injected clock), and no notification is queued after', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const endsOn = new Date(t.clock.now().getTime() + 2 * DAY).toISOString().slice(0, 10);
    await makeCarer(w.margaret, w.victor, 'view', { endsOn });
    await open(w.victor.client, conversationId);
    t.clock.advance(3 * DAY);
    await signInAgain(t.app, w);
    const refused = await w.victor.client.request({
      method: 'GET',
      url: url.conversation(conversationId),
    });
    expect(refused.statusCode).toBe(404);
    expect((await send(w.nurse.client, conversationId, 'Later news')).statusCode).toBe(201);
    const victorUser = await userIdOf(t.db, { patientId: w.victor.id });
    const queued = (await outboxRows(t.db, { kind: 'message.notify' })).filter(
      (r) => r.recipient_user_id === victorUser && r.payload.conversationId === conversationId,
    );
    expect(queued).toEqual([]);
  });

  it('C1: a conversation private from carers is invisible to them; sharing it again shows it', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
      subject: 'Private matter',
    });
    const consentId = await makeCarer(w.margaret, w.carol, 'view');
    await open(w.carol.client, conversationId);
    const marked = await expectStatus(
      w.margaret.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversationId),
        payload: { privateFromCarers: true },
      },
      200,
    );
    expect(marked.json<{ privateFromCarers: boolean }>().privateFromCarers).toBe(true);
    expect(
      (await w.carol.client.request({ method: 'GET', url: url.conversation(conversationId) }))
        .statusCode,
    ).toBe(404);
    const list = await expectStatus(
      w.carol.client,
      { method: 'GET', url: consentUrl.caredForConversations(w.margaret.id) },
      200,
    );
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(
      conversationId,
    );
    // Only the patient sets privacy; a carer copied into a private conversation is refused.
    await expectRefused(
      t.db,
      w.nurse.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversationId),
        payload: { privateFromCarers: false },
      },
      { status: 403, code: 'conversation.setPrivacy_forbidden' },
    );
    await expectRefused(
      t.db,
      w.margaret.client,
      { method: 'POST', url: consentUrl.carers(conversationId), payload: { consentId } },
      { status: 403, code: 'conversation.copyInCarer_forbidden' },
    );
    await expectStatus(
      w.margaret.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversationId),
        payload: { privateFromCarers: false },
      },
      200,
    );
    await open(w.carol.client, conversationId);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
  });
});
