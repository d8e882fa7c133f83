import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentUrl,
  appointmentWorld,
  type AppointmentView,
  type AppointmentWorld,
  ask,
  book,
  booking,
  HOUR_MS,
  update,
  view,
} from '../../../../test/appointment-world';
import {
  archive,
  conversationState,
  count,
  inbox,
  open,
  problemOf,
} from '../../../../test/conversation-world';
import { expectRefused, signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(() => t.close());

const now = () => t.clock.now();

describe('"Ask to change" and "Ask to cancel": the appointment’s own conversation', () => {
  let appointment: AppointmentView;
  let conversationId: string;
  beforeAll(async () => {
    appointment = await book(w.clerk.client, booking(w, now(), 14));
  });

  it('the patient may ask while the cut-off is ahead', async () => {
    expect((await view(w.margaret.client, appointment.id)).canAskToChange).toBe(true);
    expect((await view(w.carol.client, appointment.id)).canAskToChange).toBe(true);
    expect((await view(w.victor.client, appointment.id)).canAskToChange).toBe(false); // view only
  });

  it('the first request starts it with the patient and Central Appointments (not contactable), in Unassigned', async () => {
    const response = await ask(w.margaret.client, appointment.id, {
      kind: 'change',
      message: '  I am away that week.  ',
    });
    expect(response.statusCode, response.body).toBe(201);
    conversationId = response.json<{ conversationId: string }>().conversationId;
    const thread = await open(w.margaret.client, conversationId);
    expect(thread.subject).toBe('About your appointment');
    const linked = await w.margaret.client.request({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
    });
    expect(linked.json<{ appointmentId: string | null }>().appointmentId).toBe(appointment.id);
    expect(thread.messages.map((m) => m.body)).toEqual(['Ask to change: I am away that week.']);
    expect(
      thread.participants
        .map((p) => ({ kind: p.kind, name: p.name }))
        .sort((a, b) => a.kind.localeCompare(b.kind)),
    ).toEqual([
      { kind: 'patient', name: 'Margaret Thompson' },
      { kind: 'team', name: 'Central Appointments' },
    ]);
    const unassigned = await inbox(w.clerk.client, w.central.id, { view: 'unassigned' });
    expect(unassigned.items.map((i) => i.conversationId)).toContain(conversationId);
    // The clinic is not brought in: the appointments team answers (and may add it).
    const clinicInbox = await inbox(w.clinician.client, w.clinic.id, { view: 'unassigned' });
    expect(clinicInbox.items.map((i) => i.conversationId)).not.toContain(conversationId);
  });

  it('the appointment links to it and records the request in its history, by the patient', async () => {
    const seen = await view(w.clerk.client, appointment.id);
    expect(seen.conversationId).toBe(conversationId);
    expect(seen.version).toBe(2);
    expect(seen.history.at(-1)).toMatchObject({
      kind: 'change_requested',
      by: 'Margaret Thompson',
      changes: null,
    });
    expect((await view(w.margaret.client, appointment.id)).history.at(-1)?.by).toBe('You');
  });

  it('W5: a later request continues it and reopens it in Unassigned after the team archived it', async () => {
    expect((await archive(w.clerk.client, conversationId, w.central.id)).statusCode).toBe(204);
    const archived = await inbox(w.clerk.client, w.central.id, { view: 'unassigned' });
    expect(archived.items.map((i) => i.conversationId)).not.toContain(conversationId);

    const response = await ask(w.carol.client, appointment.id, {
      kind: 'cancel',
      message: 'She is in hospital elsewhere.',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<{ conversationId: string }>().conversationId).toBe(conversationId);
    const thread = await open(w.clerk.client, conversationId);
    expect(thread.messages.map((m) => [m.body, m.authorKind])).toEqual([
      ['Ask to change: I am away that week.', 'patient'],
      ['Ask to cancel: She is in hospital elsewhere.', 'carer'],
    ]);
    const reopened = await inbox(w.clerk.client, w.central.id, { view: 'unassigned' });
    expect(reopened.items.map((i) => i.conversationId)).toContain(conversationId);
    const seen = await view(w.margaret.client, appointment.id);
    expect(seen.history.at(-1)).toMatchObject({ kind: 'cancel_requested' });
    expect(seen.history.at(-1)?.by).toMatch(/\(carer\)$/);
  });

  it('Idempotency-Key: a retry answers as the first did and posts nothing more (M5)', async () => {
    const headers = { 'idempotency-key': 'ask-once-1' };
    const payload = { kind: 'change' as const, message: 'Any afternoon works.' };
    const first = await ask(w.margaret.client, appointment.id, payload, headers);
    const before = await conversationState(t.db, conversationId);
    const again = await ask(w.margaret.client, appointment.id, payload, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await conversationState(t.db, conversationId)).toEqual(before);
  });

  it('C1: when the patient makes it private from carers, a carer is refused: 403 appointment.conversation_private', async () => {
    const privacy = `/api/v1/conversations/${conversationId}/privacy`;
    const marked = await w.margaret.client.request({
      method: 'PUT',
      url: privacy,
      payload: { privateFromCarers: true },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    // The carer is no longer offered the conversation or the buttons; the patient still is.
    expect(await view(w.carol.client, appointment.id)).toMatchObject({
      conversationId: null,
      canAskToChange: false,
    });
    expect(await view(w.margaret.client, appointment.id)).toMatchObject({
      conversationId,
      canAskToChange: true,
    });
    await expectRefused(
      t.db,
      w.carol.client,
      {
        method: 'POST',
        url: appointmentUrl.requests(appointment.id),
        payload: { kind: 'change', message: 'Please' },
      },
      { status: 403, code: 'appointment.conversation_private' },
    );
    await w.margaret.client.request({
      method: 'PUT',
      url: privacy,
      payload: { privateFromCarers: false },
    });
  });

  it('only the patient and carers with message consent ask: 403 for view-only carers and staff', async () => {
    for (const client of [w.victor.client, w.clerk.client, w.clinician.client]) {
      await expectRefused(
        t.db,
        client,
        {
          method: 'POST',
          url: appointmentUrl.requests(appointment.id),
          payload: { kind: 'change', message: 'Please' },
        },
        { status: 403, code: 'appointment.requestChange_forbidden' },
      );
    }
  });

  it.each([
    ['an empty message', { kind: 'change', message: '' }, 'body/message'],
    ['a message of spaces', { kind: 'change', message: '   ' }, 'body/message'],
    ['an unknown kind', { kind: 'move', message: 'Hi' }, 'body/kind'],
    [
      'a message over 10,000 characters',
      { kind: 'change', message: 'x'.repeat(10_001) },
      'body/message',
    ],
  ])('refuses %s: 400 request.invalid', async (_, payload, field) => {
    await expectRefused(
      t.db,
      w.margaret.client,
      { method: 'POST', url: appointmentUrl.requests(appointment.id), payload },
      { status: 400, code: 'request.invalid', errors: [{ field }] },
    );
  });
});

describe('the cut-off (default 72 hours), against the server’s clock', () => {
  it('open until 72 hours before; then 409 appointment.change_window_closed and canAskToChange false', async () => {
    const appointment = await book(w.clerk.client, booking(w, now(), 4)); // 96 hours ahead
    const opened = await view(w.margaret.client, appointment.id);
    expect(opened.canAskToChange).toBe(true);
    expect(new Date(opened.changeCutoffAt).getTime()).toBe(
      new Date(appointment.startsAt).getTime() - 72 * HOUR_MS,
    );
    t.clock.advance(24 * HOUR_MS); // exactly at the cut-off: closed
    const margaret = await signInAs(t.app, w.margaret.email);
    expect((await view(margaret, appointment.id)).canAskToChange).toBe(false);
    const before = await count(t.db, sql`select count(*)::int as n from conversations`);
    const response = await ask(margaret, appointment.id, { kind: 'cancel', message: 'Sorry' });
    expect(response.statusCode).toBe(409);
    expect(problemOf(response).code).toBe('appointment.change_window_closed');
    expect(await count(t.db, sql`select count(*)::int as n from conversations`)).toBe(before);
  });

  it('an organisation’s own cut-off counts: 24 hours', async () => {
    await t.db.execute(
      sql`update appointment_settings set change_cutoff_hours = 24 where organisation_id = ${w.org.id}`,
    );
    const clerk = await signInAs(t.app, w.clerk.email);
    const margaret = await signInAs(t.app, w.margaret.email);
    const appointment = await book(clerk, booking(w, now(), 2)); // 48 hours ahead
    expect((await view(margaret, appointment.id)).canAskToChange).toBe(true);
    const response = await ask(margaret, appointment.id, { kind: 'change', message: 'Later?' });
    expect(response.statusCode, response.body).toBe(201);
    await t.db.execute(
      sql`update appointment_settings set change_cutoff_hours = 72 where organisation_id = ${w.org.id}`,
    );
  });

  it('a cancelled appointment cannot be asked about: 409 appointment.not_changeable', async () => {
    const clerk = await signInAs(t.app, w.clerk.email);
    const margaret = await signInAs(t.app, w.margaret.email);
    const appointment = await book(clerk, booking(w, now(), 20));
    await update(clerk, appointment.id, { version: 1, status: 'cancelled' });
    expect((await view(margaret, appointment.id)).canAskToChange).toBe(false);
    await expectRefused(
      t.db,
      margaret,
      {
        method: 'POST',
        url: appointmentUrl.requests(appointment.id),
        payload: { kind: 'cancel', message: 'Please cancel' },
      },
      { status: 409, code: 'appointment.not_changeable' },
    );
  });
});
