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
import { INVITATION_VALID_MS } from './consent.commands';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

const carersList = (patientId: string) => `/api/v1/patients/${patientId}/carers`;
const cancel = (id: string) => ({ method: 'DELETE' as const, url: consentUrl.invitation(id) });
const accept = (code: string) => ({
  method: 'POST' as const,
  url: consentUrl.accept,
  payload: { code },
});

/** Staff record Margaret's consent from a witnessed paper form: the invitation and its code. */
const onPaper = (email: string, by: Person = w.nurse) =>
  invite(by.client, email, 'view', { patientId: w.margaret.id, witnessedBy: 'Ward clerk' });

async function paperInvitationIds(by: Person = w.nurse): Promise<string[]> {
  const listed = await expectStatus(
    by.client,
    { method: 'GET', url: carersList(w.margaret.id) },
    200,
  );
  return listed.json<{ paperInvitations: { id: string }[] }>().paperInvitations.map((i) => i.id);
}

/** What a refused code says, but for the request it answered. */
const problemOf = (body: string) => {
  const { instance: _instance, ...problem } = JSON.parse(body) as Record<string, unknown>;
  return problem;
};

describe('staff cancel a paper invitation nobody has accepted (C1, C4)', () => {
  it('C1: staff with record access see it, cancel it, and its code then fails as a used one does', async () => {
    const lost = await onPaper('lost-letter@example.test');
    // The patient's own online invitations are hers: staff neither see nor cancel them.
    const online = await invite(w.margaret.client, 'online@example.test', 'view');
    const listed = await paperInvitationIds();
    expect(listed).toContain(lost.id);
    expect(listed).not.toContain(online.id);

    await expectStatus(w.nurse.client, cancel(lost.id), 204);
    expect(await paperInvitationIds()).not.toContain(lost.id);

    const cancelledCode = await expectRefused(t.db, w.carol.client, accept(lost.code), {
      status: 410,
      code: 'carer.invitation_expired',
    });
    const used = await onPaper(w.victor.email);
    await expectStatus(w.victor.client, accept(used.code), 200);
    const usedCode = await expectRefused(t.db, w.carol.client, accept(used.code), {
      status: 410,
      code: 'carer.invitation_expired',
    });
    expect(problemOf(cancelledCode.body)).toEqual(problemOf(usedCode.body));
  });

  it('C4: Margaret reads in plain words that staff cancelled it for her, and that they looked', async () => {
    const { id } = await onPaper('changed-mind@example.test');
    expect(await paperInvitationIds()).toContain(id);
    await expectStatus(w.nurse.client, cancel(id), 204);
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    const items = log.json<{ items: { who: string; what: string; why: string }[] }>().items;
    expect(items[0]).toMatchObject({
      who: expect.stringContaining('Nina Nurse') as string,
      what: 'Cancelled a carer invitation',
      why: 'Cancelled for you by staff: the invitation was recorded from your paper form',
    });
    expect(
      items.find(
        (i) =>
          i.what === 'Looked at who your carers are and your carer invitations from paper forms',
      ),
    ).toMatchObject({
      who: expect.stringContaining('Nina Nurse') as string,
      why: 'Their team looks after you (care relationship)',
    });
  });

  it('refuses, changing nothing: no record access, someone else’s, the patient’s own online one, unknown, malformed', async () => {
    const { id } = await onPaper('refusals@example.test');
    const online = await invite(w.margaret.client, 'mine@example.test', 'view');
    for (const who of [w.palsMember, w.outsider, w.coordinator, w.carol]) {
      await expectRefused(t.db, who.client, cancel(id), {
        status: 404,
        code: 'carer.invitation_not_found',
      });
      await expectRefused(
        t.db,
        who.client,
        { method: 'GET', url: carersList(w.margaret.id) },
        { status: 404, code: 'patient.not_found' },
      );
    }
    await expectRefused(t.db, w.nurse.client, cancel(online.id), {
      status: 404,
      code: 'carer.invitation_not_found',
    });
    await expectRefused(t.db, w.nurse.client, cancel('00000000-0000-4000-8000-000000000000'), {
      status: 404,
      code: 'carer.invitation_not_found',
    });
    await expectRefused(t.db, w.nurse.client, cancel('not-an-id'), {
      status: 400,
      code: 'request.invalid',
    });
    // Still waiting, and still cancellable by those who may.
    expect(await paperInvitationIds()).toContain(id);
  });

  it('409 once accepted or already cancelled, with codes that say which; the patient may cancel hers too', async () => {
    const accepted = await onPaper(w.carol.email);
    await expectStatus(w.carol.client, accept(accepted.code), 200);
    await expectRefused(t.db, w.nurse.client, cancel(accepted.id), {
      status: 409,
      code: 'carer.invitation_already_accepted',
    });

    const twice = await onPaper('twice@example.test');
    await expectStatus(w.margaret.client, cancel(twice.id), 204);
    await expectRefused(t.db, w.nurse.client, cancel(twice.id), {
      status: 409,
      code: 'carer.invitation_not_pending',
    });
  });

  it('C1: an expired code is refused in the same words as a cancelled one', async () => {
    const cancelled = await onPaper('cancelled@example.test');
    await expectStatus(w.nurse.client, cancel(cancelled.id), 204);
    const expiring = await onPaper('expiring@example.test');
    t.clock.advance(INVITATION_VALID_MS + 1000);
    await signInAgain(t.app, w);
    const [gone, expired] = await Promise.all(
      [cancelled.code, expiring.code].map((code) =>
        expectStatus(w.victor.client, accept(code), 410),
      ),
    );
    expect(problemOf(gone!.body)).toEqual(problemOf(expired!.body));
    // An expired one is no longer listed as waiting.
    expect(await paperInvitationIds()).not.toContain(expiring.id);
  });

  it('C1: staff typing the patient’s own email are told in words for staff, and nothing is recorded', async () => {
    const refused = await expectRefused(
      t.db,
      w.nurse.client,
      {
        method: 'POST',
        url: consentUrl.invitations,
        payload: {
          email: w.margaret.email,
          level: 'view',
          patientId: w.margaret.id,
          witnessedBy: 'Ward clerk',
        },
      },
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body/email', code: 'carer.self_invitation' }],
      },
    );
    expect(refused.json<{ errors: { message: string }[] }>().errors[0]?.message).toBe(
      'Enter the carer’s email address, not the patient’s own',
    );
  });
});
