import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import {
  expectStatus,
  problemOf,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { makePdf, settled, upload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/** markMessageSentInError: its author takes a message out of the conversation (decision 0021). */

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

interface Thread {
  messages: {
    id: string;
    seq: number;
    body: string;
    enteredInError: { at: string; by: string } | null;
    attachments: { id: string; title: string; status: string }[];
  }[];
}

const markUrl = (conversationId: string, messageId: string) =>
  `${url.messages(conversationId)}/${messageId}/entered-in-error`;
const mark = (
  client: Client,
  conversationId: string,
  messageId: string,
  reason = 'Wrong patient',
) =>
  client.request({ method: 'POST', url: markUrl(conversationId, messageId), payload: { reason } });
const thread = async (client: Client, conversationId: string) =>
  (
    await expectStatus(client, { method: 'GET', url: url.conversation(conversationId) }, 200)
  ).json<Thread>();
const audits = async (messageId: string) =>
  queryRows<{ details: Record<string, unknown> }>(
    t.db,
    sql`select details from audit_events where action = 'message.entered_in_error' and entity_id = ${messageId}`,
  );

/** Someone on the staff side must stay: PALS comes in, then the nurses' team leaves. */
async function handOverToPals(conversationId: string): Promise<void> {
  await expectStatus(
    w.nurse.client,
    { method: 'POST', url: url.participants(conversationId), payload: { teamId: w.pals.id } },
    200,
  );
  await expectStatus(
    w.nurse.client,
    { method: 'POST', url: url.leave(conversationId), payload: { teamId: w.nurses.id } },
    204,
  );
}

/** Margaret writes to the nurses; she replies with a file; the nurse answers. */
async function conversationWithAFile() {
  const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
    body: 'First message',
  });
  const documentId = await upload(
    w.margaret.client,
    { patientId: w.margaret.id, filename: 'scan.pdf', conversationId, purpose: 'message' },
    await makePdf(),
  );
  await settled(w.margaret.client, documentId);
  const sent = await expectStatus(
    w.margaret.client,
    {
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: 'Results of someone else', documentIds: [documentId] },
    },
    201,
  );
  await expectStatus(
    w.nurse.client,
    { method: 'POST', url: url.messages(conversationId), payload: { body: 'Thank you' } },
    201,
  );
  return { conversationId, messageId: sent.json<{ id: string }>().id, documentId };
}

describe('a message sent in error', () => {
  it('its author marks it: nobody reads its text, its file goes with it, the rest stays', async () => {
    const { conversationId, messageId, documentId } = await conversationWithAFile();
    const response = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: markUrl(conversationId, messageId),
        payload: { reason: 'Wrong results' },
      },
      200,
    );
    expect(response.body).not.toContain('someone else');
    for (const client of [w.margaret.client, w.nurse.client]) {
      const seen = await thread(client, conversationId);
      expect(seen.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      const removed = seen.messages.find((m) => m.id === messageId)!;
      expect(removed).toMatchObject({
        body: '',
        attachments: [
          { id: documentId, title: 'Removed: added in error', status: 'entered_in_error' },
        ],
      });
      expect(removed.enteredInError?.by).toContain('Margaret');
      expect(seen.messages.map((m) => m.body)).toEqual(['First message', '', 'Thank you']);
    }
    const download = await w.nurse.client.request({
      method: 'GET',
      url: `/api/v1/documents/${documentId}/content`,
    });
    expect(download.statusCode).toBe(409);

    // The text stays for investigation; the reason is in the audit trail only.
    const kept = await queryRows<{ body: string }>(
      t.db,
      sql`select body from messages where id = ${messageId}`,
    );
    expect(kept[0]?.body).toBe('Results of someone else');
    expect((await audits(messageId)).map((a) => a.details)).toEqual([
      {
        conversationId,
        seq: 2,
        enteredInErrorReason: 'Wrong results',
        documents: [{ id: documentId, statusBefore: 'available' }],
      },
    ]);
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    expect(log.json<{ items: { what: string }[] }>().items.map((i) => i.what)).toContain(
      'Removed a message that was sent in error',
    );

    // Again: nothing more happens.
    expect((await mark(w.margaret.client, conversationId, messageId)).statusCode).toBe(200);
    expect(await audits(messageId)).toHaveLength(1);
  });

  it('refuses anyone but its author, a message of another conversation, files still being checked, and no reason', async () => {
    const { conversationId, messageId, documentId } = await conversationWithAFile();
    const nurse = await mark(w.nurse.client, conversationId, messageId);
    expect(nurse.statusCode).toBe(403);
    expect(problemOf(nurse).code).toBe('message.sent_in_error_forbidden');
    const pals = await mark(w.palsMember.client, conversationId, messageId);
    expect(pals.statusCode).toBe(404);
    const elsewhere = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const wrongThread = await mark(w.margaret.client, elsewhere, messageId);
    expect(wrongThread.statusCode).toBe(404);
    expect(problemOf(wrongThread).code).toBe('message.not_found');

    await t.db.execute(sql`update documents set status = 'checking' where id = ${documentId}`);
    const checking = await mark(w.margaret.client, conversationId, messageId);
    expect(checking.statusCode).toBe(409);
    expect(problemOf(checking).code).toBe('message.files_being_checked');
    await t.db.execute(sql`update documents set status = 'available' where id = ${documentId}`);

    for (const reason of ['', '  ', 'x'.repeat(501)]) {
      expect((await mark(w.margaret.client, conversationId, messageId, reason)).statusCode).toBe(
        400,
      );
    }
    expect(await audits(messageId)).toHaveLength(0);
    const seen = await thread(w.nurse.client, conversationId);
    expect(seen.messages.find((m) => m.id === messageId)?.body).toBe('Results of someone else');
  });
});

describe('a manager of a team taking part (decision 0021)', () => {
  it('removes a patient’s message carrying someone else’s results, and scrubs her retries (M5)', async () => {
    const manager = await staff(t.app, t.db, w.org.id, [{ teamId: w.nurses.id, role: 'manager' }], {
      name: 'Mo Manager',
    });
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const send = {
      method: 'POST' as const,
      url: url.messages(conversationId),
      headers: { 'idempotency-key': `someone-else-${conversationId}` },
      payload: { body: 'My neighbour’s results' },
    };
    const messageId = (await expectStatus(w.margaret.client, send, 201)).json<{ id: string }>().id;

    // The patient's page offers nothing; the manager's offers it; a plain member's does not.
    const actions = async (client: Client) =>
      (
        await expectStatus(client, { method: 'GET', url: url.conversation(conversationId) }, 200)
      ).json<{ actions: { removeAnyMessage?: boolean } }>().actions.removeAnyMessage;
    expect(await actions(manager.client)).toBe(true);
    expect(await actions(w.nurse.client)).toBe(false);
    expect(await actions(w.margaret.client)).toBe(false);

    await expectStatus(
      manager.client,
      {
        method: 'POST',
        url: markUrl(conversationId, messageId),
        payload: { reason: 'IG incident' },
      },
      200,
    );
    const removed = (await thread(w.margaret.client, conversationId)).messages.find(
      (m) => m.id === messageId,
    );
    expect(removed).toMatchObject({ body: '' });
    expect(removed?.enteredInError?.by).toBe('Mo Manager, Cardiology Nurses');
    const retry = await expectStatus(w.margaret.client, send, 201);
    expect(retry.body).not.toContain('neighbour');
    expect((await audits(messageId)).map((a) => a.details.enteredInErrorReason)).toEqual([
      'IG incident',
    ]);
  });

  it('may not once the team has left, nor may a manager of a team not taking part', async () => {
    const manager = await staff(t.app, t.db, w.org.id, [{ teamId: w.nurses.id, role: 'manager' }]);
    const palsManager = await staff(t.app, t.db, w.org.id, [
      { teamId: w.pals.id, role: 'manager' },
    ]);
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }], {
      body: 'Nothing wrong with this',
    });
    const messageId = (await thread(manager.client, conversationId)).messages[0]!.id;
    // PALS is not taking part: it cannot see the conversation at all.
    expect((await mark(palsManager.client, conversationId, messageId)).statusCode).toBe(404);
    await handOverToPals(conversationId);
    // The nurses' manager now reads as a former participant; PALS's manager now takes part.
    const former = await mark(manager.client, conversationId, messageId);
    expect(former.statusCode).toBe(403);
    expect(problemOf(former).code).toBe('message.sent_in_error_forbidden');
    expect(await audits(messageId)).toHaveLength(0);
    expect((await mark(palsManager.client, conversationId, messageId)).statusCode).toBe(200);
  });
});

describe('what a removed message leaves behind', () => {
  it('a retry of the send that carried it (M5) answers with the message as it now is', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const send = {
      method: 'POST' as const,
      url: url.messages(conversationId),
      headers: { 'idempotency-key': `wrong-${conversationId}` },
      payload: { body: 'The wrong words' },
    };
    const first = await expectStatus(w.margaret.client, send, 201);
    const messageId = first.json<{ id: string }>().id;
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: markUrl(conversationId, messageId), payload: { reason: 'Wrong' } },
      200,
    );
    const retry = await expectStatus(w.margaret.client, send, 201);
    expect(retry.body).not.toContain('The wrong words');
    const replayed = retry.json<{ id: string; body: string; enteredInError: unknown }>();
    expect(replayed).toMatchObject({ id: messageId, body: '' });
    expect(replayed.enteredInError).not.toBeNull();
    const stored = await queryRows<{ response: string }>(
      t.db,
      sql`select response::text as response from idempotency_keys where key = ${`wrong-${conversationId}`}`,
    );
    expect(stored[0]?.response).not.toContain('The wrong words');

    // The same for the first message of a conversation, kept in createConversation's answer.
    const create = {
      method: 'POST' as const,
      url: url.conversations,
      headers: { 'idempotency-key': `create-${conversationId}` },
      payload: {
        subject: 'Mine',
        body: 'Other wrong words',
        recipients: [{ teamId: w.nurses.id }],
      },
    };
    const created = (await expectStatus(w.margaret.client, create, 201)).json<{
      id: string;
      messages: { id: string }[];
    }>();
    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: markUrl(created.id, created.messages[0]?.id ?? ''),
        payload: { reason: 'Wrong' },
      },
      200,
    );
    const again = await expectStatus(w.margaret.client, create, 201);
    expect(again.body).not.toContain('Other wrong words');
    expect(again.json<{ messages: { body: string }[] }>().messages.map((m) => m.body)).toEqual([
      '',
    ]);
  });

  it('a staff author who may no longer write there is refused; held-back files keep their status', async () => {
    const { conversationId, documentId } = await conversationWithAFile();
    const reply = await expectStatus(
      w.nurse.client,
      { method: 'POST', url: url.messages(conversationId), payload: { body: 'Wrong patient' } },
      201,
    );
    await handOverToPals(conversationId);
    const refused = await mark(w.nurse.client, conversationId, reply.json<{ id: string }>().id);
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('message.sent_in_error_forbidden');

    // Margaret's message with a file the scanner held back: the file stays held back.
    await t.db.execute(sql`update documents set status = 'quarantined' where id = ${documentId}`);
    const withFile = await queryRows<{ id: string }>(
      t.db,
      sql`select message_id as id from documents where id = ${documentId}`,
    );
    expect((await mark(w.margaret.client, conversationId, withFile[0]?.id ?? '')).statusCode).toBe(
      200,
    );
    const file = await queryRows<{ status: string }>(
      t.db,
      sql`select status from documents where id = ${documentId}`,
    );
    expect(file[0]?.status).toBe('quarantined');
  });
});
