import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus } from '../../../../test/conversation-world';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { REVIEW_PAGE_MAX, REVIEW_PAGE_SIZE } from './consent.break-glass';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

interface Review {
  id: string;
  startedAt: string;
  reviewedAt: string | null;
}
interface ReviewPage {
  items: Review[];
  nextCursor: string | null;
}

async function pageOf(client: Client, query = ''): Promise<ReviewPage> {
  const page = (
    await expectStatus(client, { method: 'GET', url: `${consentUrl.breakGlass}${query}` }, 200)
  ).json<ReviewPage>();
  // Every page says where the next begins, or that there is none.
  expect(page.nextCursor === null || typeof page.nextCursor === 'string').toBe(true);
  return page;
}

/** Every page from the first, following nextCursor: the pages' items, one list per page. */
async function everyPage(client: Client, limit?: number): Promise<Review[][]> {
  const pages: Review[][] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set('limit', String(limit));
    if (cursor !== null) query.set('cursor', cursor);
    const page = await pageOf(client, query.size > 0 ? `?${query.toString()}` : '');
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

/** The review list's order: not yet reviewed first, then reviewed; each newest first, id breaking ties. */
function inListOrder(items: Review[]): Review[] {
  const rank = (r: Review) => (r.reviewedAt === null ? 0 : 1);
  return [...items].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      b.startedAt.localeCompare(a.startedAt) ||
      (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
  );
}

/** A use of emergency access by the outsider, opened through the API. */
async function openOne(w: ConsentWorld): Promise<string> {
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
  return opened.json<{ id: string }>().id;
}

/**
 * `count` more uses like `model`, a minute apart after it; reviewed at their start when
 * `reviewed`. With `sameStart`, all start when the model did (ties the id must break).
 */
async function copies(model: string, count: number, reviewed: boolean, sameStart = false) {
  const step = sameStart ? sql`interval '0 minutes'` : sql`interval '1 minute'`;
  await t.db.execute(sql`
    insert into break_glass_sessions (patient_id, professional_id, organisation_id,
      session_token_hash, reason, detail, started_at, expires_at, reviewed_at,
      reviewed_by_professional_id)
    select b.patient_id, b.professional_id, b.organisation_id, b.session_token_hash, b.reason,
      b.detail, b.started_at + n * ${step}, b.expires_at + n * ${step},
      case when ${reviewed} then b.started_at + n * ${step} end,
      case when ${reviewed} then b.professional_id end
      from break_glass_sessions b, generate_series(1, ${count}) n
     where b.id = ${model}`);
}

describe('the coordinator’s list of emergency access to review, a page at a time (C2, C4)', () => {
  it('C4: one not yet reviewed comes first however many newer ones have been reviewed, and paging on reaches every use once', async () => {
    const w = await consentWorld(t.app, t.db);
    const waiting = await openOne(w);
    // A busy emergency department: more than a full page of later uses, all reviewed already.
    await copies(waiting, REVIEW_PAGE_MAX, true);

    const first = await pageOf(w.coordinator.client);
    expect(first.items).toHaveLength(REVIEW_PAGE_SIZE);
    expect(first.items[0]).toMatchObject({ id: waiting, reviewedAt: null });
    expect(first.nextCursor).toEqual(expect.any(String));

    const pages = await everyPage(w.coordinator.client);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 1]);
    const listed = pages.flat();
    expect(new Set(listed.map((r) => r.id)).size).toBe(REVIEW_PAGE_MAX + 1);
    expect(listed).toEqual(inListOrder(listed));
    await expectStatus(
      w.coordinator.client,
      { method: 'POST', url: consentUrl.review(waiting) },
      204,
    );
  });

  it('keeps the order across pages of any size: waiting newest first, then reviewed newest first, ties of the same start by id', async () => {
    const w = await consentWorld(t.app, t.db);
    const model = await openOne(w);
    await copies(model, 4, false);
    await copies(model, 3, false, true); // three more waiting that started with the model
    await copies(model, 5, true);
    await copies(model, 3, true, true);
    const all = (await everyPage(w.coordinator.client, REVIEW_PAGE_MAX)).flat();
    expect(all).toHaveLength(16);
    expect(all).toEqual(inListOrder(all));
    expect(all.slice(0, 8).every((r) => r.reviewedAt === null)).toBe(true);

    for (const limit of [1, 2, 3, 7]) {
      const pages = await everyPage(w.coordinator.client, limit);
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
      expect(pages.flat().map((r) => r.id)).toEqual(all.map((r) => r.id));
    }
  });

  it('C4: a use reviewed while the coordinator pages on moves to the reviewed part; none still waiting is missed', async () => {
    const w = await consentWorld(t.app, t.db);
    const model = await openOne(w);
    await copies(model, 3, false);
    await copies(model, 2, true);
    const first = await pageOf(w.coordinator.client, '?limit=2');
    const [newest, second] = first.items;
    await expectStatus(
      w.coordinator.client,
      { method: 'POST', url: consentUrl.review(newest?.id ?? '') },
      204,
    );
    const rest: Review[] = [];
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const page = await pageOf(w.coordinator.client, `?limit=2&cursor=${cursor}`);
      rest.push(...page.items);
      cursor = page.nextCursor;
    }
    const waitingAfter = rest.filter((r) => r.reviewedAt === null);
    expect(waitingAfter).toHaveLength(2);
    expect([second?.id, ...waitingAfter.map((r) => r.id)]).not.toContain(newest?.id);
    // The one just reviewed shows again among the reviewed: the newest of them.
    expect(rest.find((r) => r.reviewedAt !== null)?.id).toBe(newest?.id);
  });

  const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const id = '0b8e2b44-1b7e-4c51-9d0c-7f6b3a1c2d3e';
  it.each([
    ['not a cursor at all', 'nonsense'],
    ['an empty cursor', ''],
    ['another list’s cursor (time and id)', cursorOf(['2026-11-25T09:00:00.000Z', id])],
    ['a part that is neither', cursorOf(['later', '2026-11-25T09:00:00.000Z', id])],
    ['a time that is not one', cursorOf(['open', 'yesterday', id])],
    ['30 February', cursorOf(['reviewed', '2026-02-30T00:00:00.000Z', id])],
    ['the year 0000', cursorOf(['open', '0000-01-01T00:00:00.000Z', id])],
    ['an id that is not a uuid', cursorOf(['open', '2026-11-25T09:00:00.000Z', 'x'])],
    ['a number for the part', cursorOf([1, '2026-11-25T09:00:00.000Z', id])],
  ])(
    'refuses %s as a cursor with 400 request.invalid_cursor, like every list',
    async (_name, cursor) => {
      const w = await consentWorld(t.app, t.db);
      const response = await w.coordinator.client.request({
        method: 'GET',
        url: `${consentUrl.breakGlass}?cursor=${encodeURIComponent(cursor)}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'request.invalid_cursor' });
    },
  );

  it.each([['0'], ['-1'], ['ten'], ['1000']])(
    'refuses a page size of %s, and unknown query fields, with 400',
    async (limit) => {
      const w = await consentWorld(t.app, t.db);
      for (const query of [`?limit=${limit}`, '?offset=50']) {
        const response = await w.coordinator.client.request({
          method: 'GET',
          url: `${consentUrl.breakGlass}${query}`,
        });
        expect(response.statusCode, query).toBe(400);
      }
    },
  );

  it('a page size over the most is brought down to it', async () => {
    const w = await consentWorld(t.app, t.db);
    const model = await openOne(w);
    await copies(model, REVIEW_PAGE_MAX + 5, true);
    const page = await pageOf(w.coordinator.client, '?limit=999');
    expect(page.items).toHaveLength(REVIEW_PAGE_MAX);
    expect(page.nextCursor).not.toBeNull();
  });

  it('is for coordinators only, whatever the cursor', async () => {
    const w = await consentWorld(t.app, t.db);
    const response = await w.nurse.client.request({
      method: 'GET',
      url: `${consentUrl.breakGlass}?cursor=nonsense`,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'break_glass.coordinators_only' });
  });
});
