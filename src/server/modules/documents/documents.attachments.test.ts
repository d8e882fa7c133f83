import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import {
  expectStatus,
  problemOf,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createUpload, makePdf, settled, upload } from '../../../../test/documents-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const uploadFor = async (metadata: Record<string, string> = {}) =>
  upload(
    w.margaret.client,
    { patientId: w.margaret.id, filename: 'photo-of-rash.pdf', ...metadata },
    await makePdf(),
  );

describe('documents attached to messages', () => {
  it('a patient starts a conversation with a document; the message shows it as an attachment', async () => {
    const documentId = await uploadFor();
    const response = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: {
          subject: 'My rash',
          body: 'Photo attached',
          recipients: [{ teamId: w.nurses.id }],
          documentIds: [documentId],
        },
      },
      201,
    );
    const conversation = response.json<{
      id: string;
      messages: { attachments: { id: string; title: string; status: string }[] }[];
    }>();
    expect(conversation.messages[0]?.attachments).toEqual([
      expect.objectContaining({
        id: documentId,
        title: 'photo-of-rash.pdf',
        fileName: 'photo-of-rash.pdf',
      }),
    ]);
    const document = await settled(w.nurse.client, documentId);
    expect(document).toMatchObject({ conversationId: conversation.id, status: 'available' });
    expect(document.messageId).not.toBeNull();
  });

  it('a reply carries documents uploaded for its conversation; replays answer as the first', async () => {
    const started = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Results', body: 'Hello', recipients: [{ teamId: w.nurses.id }] },
      },
      201,
    );
    const conversationId = started.json<{ id: string }>().id;
    const documentId = await uploadFor({ conversationId });
    const request = {
      method: 'POST' as const,
      url: url.messages(conversationId),
      headers: { 'idempotency-key': 'reply-with-document' },
      payload: { body: 'Here is the letter', documentIds: [documentId] },
    };
    const first = await expectStatus(w.margaret.client, request, 201);
    expect(first.json<{ attachments: { id: string }[] }>().attachments.map((a) => a.id)).toEqual([
      documentId,
    ]);
    const replay = await expectStatus(w.margaret.client, request, 201);
    expect(replay.json()).toEqual(first.json());
    // The same key with other documents is another request (the hash covers the whole body).
    const other = await w.margaret.client.request({
      ...request,
      payload: { body: 'Here is the letter', documentIds: [await uploadFor({ conversationId })] },
    });
    expect(other.statusCode).toBe(422);
    expect(problemOf(other).code).toBe('idempotency.key_reused');
  });

  it('refuses documents that are someone else’s, another record’s, already attached, or rejected', async () => {
    const started = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'Question', body: 'Hi', recipients: [{ teamId: w.nurses.id }] },
      },
      201,
    );
    const conversationId = started.json<{ id: string }>().id;
    const nurses = await upload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'nurse.pdf' },
      await makePdf(),
    );
    const rejected = await upload(
      w.margaret.client,
      { patientId: w.margaret.id, filename: 'page.pdf' },
      Buffer.from('<html></html>'),
    );
    await settled(w.margaret.client, rejected);
    const attachedOnce = await uploadFor({ conversationId });
    await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.messages(conversationId),
        payload: { body: 'one', documentIds: [attachedOnce] },
      },
      201,
    );
    const carolsRecord = await upload(
      w.carol.client,
      { patientId: w.carol.id, filename: 'mine.pdf' },
      await makePdf(),
    );
    for (const documentId of [nurses, rejected, attachedOnce, carolsRecord, crypto.randomUUID()]) {
      const response = await w.margaret.client.request({
        method: 'POST',
        url: url.messages(conversationId),
        payload: { body: 'again', documentIds: [documentId] },
      });
      expect(response.statusCode, documentId).toBe(422);
      expect(problemOf(response).code).toBe('document.not_attachable');
    }
    const tooMany = await w.margaret.client.request({
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: 'many', documentIds: Array.from({ length: 11 }, () => crypto.randomUUID()) },
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('an upload into a conversation needs the right to reply in it', async () => {
    const started = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: url.conversations,
        payload: { subject: 'To PALS', body: 'Hi', recipients: [{ teamId: w.pals.id }] },
      },
      201,
    );
    const conversationId = started.json<{ id: string }>().id;
    // The nurse's team has record access but does not take part: it may read, not add.
    const nurse = await createUpload(
      w.nurse.client,
      { patientId: w.margaret.id, filename: 'x.pdf', conversationId },
      10,
    );
    expect(nurse.statusCode).toBe(403);
    expect(problemOf(nurse).code).toBe('document.upload_forbidden');
    const pals = await createUpload(
      w.palsMember.client,
      { patientId: w.margaret.id, filename: 'x.pdf', conversationId },
      10,
    );
    expect(pals.statusCode, pals.body).toBe(201);
  });

  it('staff in several teams upload into a conversation for their team that takes part in it', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.pals.id }]);
    // Admin is the first of her teams; PALS is the one in the conversation.
    const both = await staff(
      t.app,
      t.db,
      w.org.id,
      [
        { teamId: w.admin.id, role: 'member' },
        { teamId: w.pals.id, role: 'member' },
      ],
      { name: 'Bea Both' },
    );
    const documentId = await upload(
      both.client,
      { patientId: w.margaret.id, filename: 'reply.pdf', conversationId, purpose: 'message' },
      await makePdf(),
    );
    expect((await settled(both.client, documentId)).uploadedBy).toBe('Bea Both, PALS');
  });
});
