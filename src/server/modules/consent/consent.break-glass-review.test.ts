import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus } from '../../../../test/conversation-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { REVIEW_LIST_MAX } from './consent.break-glass';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

interface Review {
  id: string;
  reviewedAt: string | null;
}

describe('the coordinator’s list of emergency access to review (C2, C4)', () => {
  it('C4: one not yet reviewed stays on the list however many newer ones have been reviewed', async () => {
    const { nhsNumber } = (
      await expectStatus(
        w.nurse.client,
        { method: 'GET', url: `/api/v1/patients/${w.margaret.id}` },
        200,
      )
    ).json<{ nhsNumber: string }>();
    const opened = await expectStatus(
      w.outsider.client,
      {
        method: 'POST',
        url: consentUrl.breakGlass,
        payload: { nhsNumber, reason: 'emergency_care', detail: 'Brought in unconscious' },
      },
      201,
    );
    const waiting = opened.json<{ id: string }>().id;
    // A busy emergency department: a list's worth of later uses, all reviewed already.
    await t.db.execute(sql`
      insert into break_glass_sessions (patient_id, professional_id, organisation_id,
        session_token_hash, reason, detail, started_at, expires_at, reviewed_at,
        reviewed_by_professional_id)
      select b.patient_id, b.professional_id, b.organisation_id, b.session_token_hash, b.reason,
        b.detail, b.started_at + n * interval '1 minute', b.expires_at,
        b.started_at + n * interval '1 minute', b.professional_id
        from break_glass_sessions b, generate_series(1, ${REVIEW_LIST_MAX}) n
       where b.id = ${waiting}`);

    const listed = (
      await expectStatus(w.coordinator.client, { method: 'GET', url: consentUrl.breakGlass }, 200)
    ).json<{ items: Review[] }>().items;
    expect(listed).toHaveLength(REVIEW_LIST_MAX);
    expect(listed[0]).toMatchObject({ id: waiting, reviewedAt: null });
    // Then the reviewed ones, newest first.
    const reviewed = listed.slice(1).map((i) => i.reviewedAt ?? '');
    expect(reviewed).toEqual([...reviewed].sort().reverse());
    await expectStatus(
      w.coordinator.client,
      { method: 'POST', url: consentUrl.review(waiting) },
      204,
    );
  });
});
