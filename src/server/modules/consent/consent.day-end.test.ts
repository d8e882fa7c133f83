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
  expectStatus,
  type Person,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { consentEnd } from './consent.period';

/**
 * A consent's last day ends at midnight in the UK (C1), not in UTC: 23:00Z in British Summer
 * Time, 00:00Z in winter. The test clock only moves forward, so winter comes first.
 */
let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(() => t.close());

/** Moves the test clock to an instant and signs everyone in again (sessions idle out). */
async function at(iso: string): Promise<void> {
  const ms = new Date(iso).getTime() - t.clock.now().getTime();
  expect(ms, `the clock only moves forward, to ${iso}`).toBeGreaterThanOrEqual(0);
  t.clock.advance(ms);
  await signInAgain(t.app, w);
}

const reads = async (carer: Person, conversationId: string) =>
  (await carer.client.request({ method: 'GET', url: url.conversation(conversationId) })).statusCode;

/** The end of a consent as the patient's list of carers shows it. */
async function consentEndOf(consentId: string): Promise<string | null | undefined> {
  const response = await expectStatus(
    w.margaret.client,
    { method: 'GET', url: consentUrl.myCarers },
    200,
  );
  const { carers } = response.json<{ carers: { id: string; endsAt: string | null }[] }>();
  return carers.find((c) => c.id === consentId)?.endsAt;
}

describe('the last day of a consent, in UK time (C1)', () => {
  it('winter (GMT): "until 31 January" reads at 23:30Z on the 31st and not from midnight', async () => {
    await at('2027-01-31T12:00:00Z');
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const consentId = await makeCarer(w.margaret, w.victor, 'view', { endsOn: '2027-01-31' });
    expect(await consentEndOf(consentId)).toBe('2027-02-01T00:00:00.000Z');
    await at('2027-01-31T23:30:00Z');
    expect(await reads(w.victor, conversationId)).toBe(200);
    // Still 31 January in the UK: today is a valid last day.
    await invite(w.margaret.client, 'late@example.test', 'view', { endsOn: '2027-01-31' });
    await at('2027-02-01T00:00:00Z');
    expect(await reads(w.victor, conversationId)).toBe(404);
  });

  it('summer (BST): "until 30 June" reads at 22:30Z and not from 23:00Z, midnight in the UK', async () => {
    await at('2027-06-30T12:00:00Z');
    const conversationId = await startConversation(w.margaret.client, [{ teamId: w.nurses.id }]);
    const consentId = await makeCarer(w.margaret, w.carol, 'view', { endsOn: '2027-06-30' });
    await at('2027-06-30T22:30:00Z');
    expect(await reads(w.carol, conversationId)).toBe(200);
    await at('2027-06-30T23:30:00Z');
    expect(await reads(w.carol, conversationId)).toBe(404);
    expect(await consentEndOf(consentId)).toBe('2027-06-30T23:00:00.000Z');
  });

  it('summer: at 00:30 BST on 1 July, 30 June is yesterday and refused; 1 July ends at 23:00Z', async () => {
    await at('2027-06-30T23:30:00Z');
    await expectRefused(
      t.db,
      w.margaret.client,
      {
        method: 'POST',
        url: consentUrl.invitations,
        payload: { email: 'yesterday@example.test', level: 'view', endsOn: '2027-06-30' },
      },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body/endsOn', code: 'carer.end_date_invalid' }],
      },
    );
    const response = await expectStatus(
      w.margaret.client,
      {
        method: 'POST',
        url: consentUrl.invitations,
        payload: { email: 'today@example.test', level: 'view', endsOn: '2027-07-01' },
      },
      201,
    );
    expect(
      response.json<{ invitation: { consentEndsAt: string } }>().invitation.consentEndsAt,
    ).toBe('2027-07-01T23:00:00.000Z');
  });
});

describe('consentEnd: midnight starting the next UK day', () => {
  const now = new Date('2027-01-01T12:00:00Z');
  it.each([
    ['2027-03-27', '2027-03-28T00:00:00.000Z'], // the clocks go forward at 01:00Z on the 28th
    ['2027-03-28', '2027-03-28T23:00:00.000Z'],
    ['2027-10-30', '2027-10-30T23:00:00.000Z'], // and back at 01:00Z on the 31st
    ['2027-10-31', '2027-11-01T00:00:00.000Z'],
    ['2027-12-31', '2028-01-01T00:00:00.000Z'],
  ])('last day %s ends at %s', (endsOn, end) => {
    expect(consentEnd(endsOn, now)?.toISOString()).toBe(end);
  });
  it('refuses what is not a date', () => {
    expect(() => consentEnd('not-a-date', now)).toThrow();
  });
});
