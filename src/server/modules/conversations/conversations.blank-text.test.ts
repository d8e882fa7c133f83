import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  count,
  open,
  type Person,
  patient,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * Spaces alone are not a subject or a message (M1, M2, M3): the API refuses them as the
 * web's own forms do, instead of filing a conversation whose subject shows as an empty link
 * in every team inbox, or a message with nothing in it that can never be taken back.
 */
let t: TestApp;
let team: { id: string };
let writer: Person;
let nurse: Person;
let conversationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  team = await createTeam(t.db, org.id, { contactable: true });
  writer = await patient(t.app, t.db, [org.id]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
  conversationId = await startConversation(writer.client, [{ teamId: team.id }]);
});
afterAll(() => t.close());

const blanks = [' ', '   ', '\n\n', '\t \r\n'];

describe('blank subjects and messages are refused with 400 and change nothing', () => {
  test.each(blanks)('a new conversation with the subject %j', async (subject) => {
    const before = await count(t.db, sql`select count(*) as n from conversations`);
    const response = await writer.client.request({
      method: 'POST',
      url: url.conversations,
      payload: { subject, body: 'My tablets', recipients: [{ teamId: team.id }] },
    });
    expect(response.statusCode, response.body).toBe(400);
    const problem = response.json<{ code: string; errors: { field: string }[] }>();
    expect(problem.code).toBe('request.invalid');
    expect(problem.errors.map((e) => e.field)).toEqual(['body/subject']);
    expect(await count(t.db, sql`select count(*) as n from conversations`)).toBe(before);
  });

  test.each(blanks)('a new conversation whose first message is %j', async (body) => {
    const before = await count(t.db, sql`select count(*) as n from conversations`);
    const response = await writer.client.request({
      method: 'POST',
      url: url.conversations,
      payload: { subject: 'My tablets', body, recipients: [{ teamId: team.id }] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('body/body');
    expect(await count(t.db, sql`select count(*) as n from conversations`)).toBe(before);
  });

  test.each(blanks)('a reply of %j, from the patient or the team', async (body) => {
    for (const author of [writer, nurse]) {
      const response = await author.client.request({
        method: 'POST',
        url: url.messages(conversationId),
        payload: { body },
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<{ code: string }>().code).toBe('request.invalid');
    }
    expect((await open(writer.client, conversationId)).lastMessageSeq).toBe(1);
  });

  test('words with spaces around them are still sent', async () => {
    const response = await writer.client.request({
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: '  Thank you  ' },
    });
    expect(response.statusCode, response.body).toBe(201);
  });
});
