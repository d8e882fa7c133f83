import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  type Person,
  patient,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * JSON may carry U+0000 (as `\u0000`) and an address may carry it (as `%00`), but PostgreSQL
 * text cannot hold it: without a check the statement fails and the request answers 500.
 * Every such request is refused as invalid, naming the field, and changes nothing.
 */

let t: TestApp;
let margaret: Person;
let nurse: Person;
let conversationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const team = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
  margaret = await patient(t.app, t.db, [org.id]);
  conversationId = await startConversation(margaret.client, [{ teamId: team.id }]);
});
afterAll(() => t.close());

const messages = () =>
  count(
    t.db,
    sql`select count(*)::int as n from messages where conversation_id = ${conversationId}`,
  );

describe('the NUL character in a request', () => {
  it('in a message body: 400 naming the field, and no message', async () => {
    const before = await messages();
    const response = await margaret.client.request({
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: 'My tablets\u0000 ran out' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'request.invalid',
      errors: [{ field: 'body/body', code: 'field.bad_format' }],
    });
    expect(await messages()).toBe(before);
  });

  it('deep in a body, in an array: the field is named by its path', async () => {
    const response = await margaret.client.request({
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: 'Hello', documentIds: ['\u0000'] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      errors: [
        {
          field: 'body/documentIds/0',
          code: 'field.bad_format',
          message: 'Must not contain the NUL character',
        },
      ],
    });
  });

  it('in a search in the address: 400, not 500', async () => {
    const response = await nurse.client.request({
      method: 'GET',
      url: '/api/v1/professionals?q=a%00b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'request.invalid',
      errors: [{ field: 'querystring/q', code: 'field.bad_format' }],
    });
  });

  it('at the OAuth token endpoint: an OAuth invalid_request, not a server error', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials%00&client_id=a%00b&client_secret=c',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('other control characters a person can type are still text', async () => {
    const response = await margaret.client.request({
      method: 'POST',
      url: url.messages(conversationId),
      payload: { body: 'Line one\r\nLine two\tindented' },
    });
    expect(response.statusCode).toBe(201);
  });
});
