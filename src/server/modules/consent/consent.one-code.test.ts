import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  invite,
  signInAgain,
} from '../../../../test/consent-world';
import { expectStatus, type Person } from '../../../../test/conversation-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

const DAY_MS = 24 * 60 * 60 * 1000;
const accept = (code: string) => ({
  method: 'POST' as const,
  url: consentUrl.accept,
  payload: { code },
});
const cancel = (id: string) => ({ method: 'DELETE' as const, url: consentUrl.invitation(id) });
const paperForm = (email: string) => ({
  method: 'POST' as const,
  url: consentUrl.invitations,
  payload: { email, level: 'view', patientId: w.margaret.id, witnessedBy: 'Ward clerk' },
});
const online = (email: string, extra: Record<string, unknown> = {}) => ({
  method: 'POST' as const,
  url: consentUrl.invitations,
  payload: { email, level: 'view', ...extra },
});
const stillWaiting = {
  status: 409,
  code: 'carer.invitation_pending',
  errors: [{ field: 'body/email', code: 'carer.invitation_pending' }],
};

async function waitingIds(by: Person): Promise<string[]> {
  if (by === w.margaret) {
    const mine = await expectStatus(by.client, { method: 'GET', url: consentUrl.myCarers }, 200);
    return mine.json<{ invitations: { id: string }[] }>().invitations.map((i) => i.id);
  }
  const listed = await expectStatus(
    by.client,
    { method: 'GET', url: `/api/v1/patients/${w.margaret.id}/carers` },
    200,
  );
  return listed.json<{ paperInvitations: { id: string }[] }>().paperInvitations.map((i) => i.id);
}

describe('one code at a time for each carer (C1)', () => {
  it('C1, C4: recording the same paper form again is refused (409, naming the email field), changing nothing; after cancelling, it records', async () => {
    const first = await invite(w.nurse.client, 'again@example.test', 'view', {
      patientId: w.margaret.id,
      witnessedBy: 'Ward clerk',
    });
    // Written differently, the same address: still the same carer.
    const refused = await expectRefused(
      t.db,
      w.nurse.client,
      paperForm('Again@Example.TEST'),
      stillWaiting,
    );
    expect(refused.json<{ detail: string }>().detail).toContain(
      'Carer invitations from paper forms',
    );
    expect(refused.body).not.toContain('again@example.test');
    expect(await waitingIds(w.nurse)).toEqual(expect.arrayContaining([first.id]));

    await expectStatus(w.nurse.client, cancel(first.id), 204);
    const second = await invite(w.nurse.client, 'again@example.test', 'view', {
      patientId: w.margaret.id,
      witnessedBy: 'Ward clerk',
    });
    await expectStatus(w.victor.client, accept(second.code), 200);
  });

  it('C1: a double submit creates one invitation, not two codes (both databases: the patient row is locked)', async () => {
    const answers = await Promise.all([
      w.nurse.client.request(paperForm('double@example.test')),
      w.nurse.client.request(paperForm('double@example.test')),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const mine = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.myCarers },
      200,
    );
    const emails = mine
      .json<{ invitations: { email: string }[] }>()
      .invitations.map((i) => i.email);
    expect(emails.filter((e) => e === 'double@example.test')).toHaveLength(1);
  });

  it('C1: the patient inviting the same email twice is refused too, in her words; staff never learn of her online one', async () => {
    await invite(w.margaret.client, 'hers@example.test', 'message');
    const refused = await expectRefused(
      t.db,
      w.margaret.client,
      online('hers@example.test'),
      stillWaiting,
    );
    expect(refused.json<{ detail: string }>().detail).toContain(
      'Invitations waiting to be accepted',
    );
    // Her invitation is hers: staff recording a paper form to the same address are not told of it.
    await expectStatus(w.nurse.client, paperForm('hers@example.test'), 201);
    // A different carer is a different invitation.
    await expectStatus(w.margaret.client, online('someone-else@example.test'), 201);
  });

  it('C1: an invitation whose last day of consent has passed is no longer waiting: not listed, and no block on a new one', async () => {
    const today = t.clock.now().toISOString().slice(0, 10);
    const lapsed = await invite(w.margaret.client, 'lastday@example.test', 'view', {
      endsOn: today,
    });
    const paper = await invite(w.nurse.client, 'lastday-paper@example.test', 'view', {
      patientId: w.margaret.id,
      witnessedBy: 'Ward clerk',
      endsOn: today,
    });
    expect(await waitingIds(w.margaret)).toContain(lapsed.id);
    t.clock.advance(DAY_MS);
    await signInAgain(t.app, w);
    // Its code would be refused now, so it is not offered as waiting either.
    await expectStatus(w.victor.client, accept(lapsed.code), 410);
    expect(await waitingIds(w.margaret)).not.toContain(lapsed.id);
    expect(await waitingIds(w.nurse)).not.toContain(paper.id);
    await expectStatus(w.margaret.client, online('lastday@example.test'), 201);
  });
});
