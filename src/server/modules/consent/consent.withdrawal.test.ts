import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consentUrl,
  consentWorld,
  type ConsentWorld,
  makeCarer,
} from '../../../../test/consent-world';
import { expectStatus } from '../../../../test/conversation-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

/** The patient's (and carer's) own way: no body. */
const revoke = (consentId: string) => ({
  method: 'POST' as const,
  url: consentUrl.revoke(consentId),
});
const recordWithdrawal = (consentId: string, payload: Record<string, unknown> = {}) => ({
  method: 'POST' as const,
  url: `/api/v1/carer-consents/${consentId}/recorded-withdrawal`,
  payload,
});

describe('staff record a patient’s withdrawal of a carer’s consent (C1, the paper route’s other end)', () => {
  it('staff with record access end it, naming the witness: the carer’s next request finds nothing', async () => {
    const consentId = await makeCarer(w.margaret, w.carol, 'view');
    await expectStatus(
      w.carol.client,
      { method: 'GET', url: consentUrl.caredForConversations(w.margaret.id) },
      200,
    );

    const ended = await expectStatus(
      w.nurse.client,
      recordWithdrawal(consentId, { witnessedBy: 'Sister Jones, on the ward' }),
      200,
    );
    expect(ended.json()).toMatchObject({ id: consentId, status: 'revoked' });
    await expectStatus(
      w.carol.client,
      { method: 'GET', url: consentUrl.caredForConversations(w.margaret.id) },
      404,
    );

    // Margaret's own log says who did it for her, and who witnessed her asking.
    const log = await expectStatus(
      w.margaret.client,
      { method: 'GET', url: consentUrl.accessLog },
      200,
    );
    expect(log.json<{ items: unknown[] }>().items[0]).toMatchObject({
      what: 'Ended a carer’s consent',
      why: 'Recorded for you by staff when you asked, witnessed by Sister Jones, on the ward',
    });
  });

  it('refuses, changing nothing: staff without record access, staff without a witness, a patient naming one', async () => {
    const consentId = await makeCarer(w.margaret, w.victor, 'view');
    await expectRefused(
      t.db,
      w.palsMember.client,
      recordWithdrawal(consentId, { witnessedBy: 'Someone' }),
      {
        status: 404,
        code: 'carer.consent_not_found',
      },
    );
    await expectRefused(t.db, w.nurse.client, recordWithdrawal(consentId), {
      status: 400,
      code: 'request.invalid',
    });
    // Staff ending it the patient's way, with no witness, is told what is missing.
    await expectRefused(t.db, w.nurse.client, revoke(consentId), {
      status: 400,
      code: 'request.invalid',
      errors: [{ field: 'body', code: 'carer.withdrawal_witness_required' }],
    });
    await expectRefused(t.db, w.nurse.client, recordWithdrawal(consentId, { witnessedBy: '   ' }), {
      status: 400,
      code: 'request.invalid',
    });
    await expectRefused(
      t.db,
      w.margaret.client,
      recordWithdrawal(consentId, { witnessedBy: 'Me' }),
      {
        status: 400,
        code: 'request.invalid',
        errors: [{ field: 'body', code: 'carer.staff_only_field' }],
      },
    );
    // Still in force, and the patient herself still ends it with no body.
    await expectStatus(w.margaret.client, revoke(consentId), 200);
  });
});
