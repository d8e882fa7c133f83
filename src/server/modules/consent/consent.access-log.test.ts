import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
} from '../../../../test/consent-world';
import {
  expectStatus,
  open,
  patient,
  startConversation,
} from '../../../../test/conversation-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

describe('"Who has seen my record": consent changes and carer reads (C4)', () => {
  it('C4: every consent change and every carer read appears on "Who has seen my record", with why', async () => {
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const consentId = await makeCarer(w.margaret, w.carol, 'view');
    await open(w.carol.client, conversationId);
    await expectStatus(
      w.margaret.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversationId),
        payload: { privateFromCarers: true },
      },
      200,
    );
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    const items = log.json<{ items: { who: string; what: string; why: string }[] }>().items;
    const whats = items.map((i) => i.what);
    expect(whats).toEqual(
      expect.arrayContaining([
        'Invited a carer',
        'Became your carer',
        'Ended a carer’s consent',
        'Read a conversation',
        'Made a conversation private from carers',
      ]),
    );
    const read = items.find((i) => i.what === 'Read a conversation' && i.who.includes('(carer)'));
    expect(read?.why).toBe('You agreed to them being your carer');
    expect(items.find((i) => i.what === 'Invited a carer')?.who).toBe('You');
  });

  it('C4: the CSV download has every entry, and cells a spreadsheet would run are made inert', async () => {
    // A carer named like a formula: their name reaches the log as the actor of their reads.
    const formula = await patient(t.app, t.db, [w.org.id], { givenName: '=HYPERLINK("x")' });
    const consentId = await makeCarer(w.margaret, formula, 'view');
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(consentId) },
      200,
    );
    const response = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLogCsv },
      200,
    );
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment/);
    const [header, ...rows] = response.body.trim().split('\r\n');
    expect(header).toBe('When,Who,Team,What,Conversation,Why');
    const json = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: `${consentUrl.accessLog}?limit=200` },
      200,
    );
    expect(rows).toHaveLength(json.json<{ items: unknown[] }>().items.length);
    expect(response.body).toContain('"\'=HYPERLINK(""x"")');
    expect(response.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('"Who has seen my record": pages (C4)', () => {
  const withCursor = (key: string[]) =>
    `${consentUrl.accessLog}?cursor=${Buffer.from(JSON.stringify(key)).toString('base64url')}`;

  it('a page cursor whose number no database id can hold is refused as invalid (400), not a 500', async () => {
    for (const id of ['99999999999999999999999', '9223372036854775808']) {
      const response = await w.margaret.client.request({
        method: 'GET',
        url: withCursor([id, w.margaret.id]),
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'request.invalid_cursor' });
    }
    await expectStatus(
      w.margaret.client,
      { method: 'GET', url: withCursor(['1', w.margaret.id]) },
      200,
    );
  });
});
