import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import {
  archive,
  assign,
  inbox,
  type InboxPage,
  type Person,
  patient,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let team: { id: string };
let organisationId: string;
let a: Person;
let b: Person;
let outsider: Person;
let patients: Person[];
/** Unassigned conversations in the order the patients started them. */
let waiting: string[];
let replied: string[];
let minePlain: string;
let othersPlain: string;
let archivedPlain: string;

const minute = () => t.clock.advance(60_000);

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  organisationId = org.id;
  team = await createTeam(t.db, org.id, { name: 'Central Appointments', contactable: true });
  const otherTeam = await createTeam(t.db, org.id, { contactable: true });
  a = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }], { name: 'Clerk A' });
  b = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }], { name: 'Clerk B' });
  outsider = await staff(t.app, t.db, org.id, [{ teamId: otherTeam.id, role: 'member' }]);
  patients = [];
  for (let i = 0; i < 3; i++) patients.push(await patient(t.app, t.db, [org.id]));
  const p = (i: number) => patients[i % 3]!.client;

  waiting = [];
  for (let i = 0; i < 4; i++) {
    minute();
    waiting.push(await startConversation(p(i), [{ teamId: team.id }], { subject: `Waiting ${i}` }));
  }
  replied = [];
  for (let i = 0; i < 2; i++) {
    minute();
    const id = await startConversation(p(i), [{ teamId: team.id }], { subject: `Replied ${i}` });
    minute();
    expect((await send(a.client, id, 'Answered')).statusCode).toBe(201);
    replied.push(id);
  }
  minute();
  minePlain = await startConversation(p(0), [{ teamId: team.id }], { subject: 'Mine' });
  othersPlain = await startConversation(p(1), [{ teamId: team.id }], { subject: 'Others' });
  archivedPlain = await startConversation(p(2), [{ teamId: team.id }], { subject: 'Done' });
  expect((await assign(a.client, minePlain, team.id)).statusCode).toBe(200);
  expect((await assign(b.client, othersPlain, team.id)).statusCode).toBe(200);
  expect((await archive(b.client, archivedPlain, team.id)).statusCode).toBe(204);
  // A later message on the first conversation does not move its wait: still the longest.
  minute();
  expect((await send(p(0), waiting[0]!, 'Any news?')).statusCode).toBe(201);
});
afterAll(() => t.close());

const ids = (page: InboxPage) => page.items.map((i) => i.conversationId);

describe('team inbox views and counts (W1, W2, W4)', () => {
  it('counts each view for the member asking', async () => {
    const forA = await inbox(a.client, team.id);
    expect(forA.counts).toEqual({ unassigned: 6, mine: 1, others: 1, archived: 1 });
    const forB = await inbox(b.client, team.id);
    expect(forB.counts).toEqual({ unassigned: 6, mine: 1, others: 1, archived: 1 });
    expect(ids(await inbox(a.client, team.id, { view: 'mine' }))).toEqual([minePlain]);
    expect(ids(await inbox(b.client, team.id, { view: 'mine' }))).toEqual([othersPlain]);
    const others = await inbox(b.client, team.id, { view: 'others' });
    expect(ids(others)).toEqual([minePlain]);
    expect(others.items[0]?.assignee).toEqual({ professionalId: a.id, name: a.name });
    expect(ids(await inbox(a.client, team.id, { view: 'archived' }))).toEqual([archivedPlain]);
  });

  it('an empty view still gives the team’s counts', async () => {
    const c = await staff(t.app, t.db, organisationId, [{ teamId: team.id, role: 'member' }]);
    const mine = await inbox(c.client, team.id, { view: 'mine' });
    expect(mine.items).toEqual([]);
    expect(mine.counts).toEqual({ unassigned: 6, mine: 0, others: 2, archived: 1 });
  });

  it('sort=waiting puts the longest-waiting patient first, and those not waiting last', async () => {
    const page = await inbox(a.client, team.id, { view: 'unassigned', sort: 'waiting' });
    expect(ids(page).slice(0, 4)).toEqual(waiting);
    expect(ids(page).slice(4).sort()).toEqual([...replied].sort());
    expect(page.items.slice(4).every((i) => i.waitingSince === null)).toBe(true);
    const since = page.items.slice(0, 4).map((i) => i.waitingSince!);
    expect([...since].sort()).toEqual(since);
  });

  it('sort=newest orders by last activity, newest first', async () => {
    const page = await inbox(a.client, team.id, { view: 'unassigned', sort: 'newest' });
    const activity = page.items.map((i) => i.lastActivityAt);
    expect([...activity].sort().reverse()).toEqual(activity);
    expect(ids(page)[0]).toBe(waiting[0]); // its patient wrote last
  });

  it('filters by patient, counts included', async () => {
    const first = patients[0]!;
    const page = await inbox(a.client, team.id, { patientId: first.id, view: 'unassigned' });
    expect(page.items.every((i) => i.patient.id === first.id)).toBe(true);
    expect(ids(page).sort()).toEqual([waiting[0]!, waiting[3]!, replied[0]!].sort());
    expect(page.counts).toEqual({ unassigned: 3, mine: 1, others: 0, archived: 0 });
  });

  test.each([
    { view: 'unassigned', sort: 'waiting' },
    { view: 'unassigned', sort: 'newest' },
    { view: 'archived', sort: 'waiting' },
  ])('pages of 2 walk every $view conversation ($sort) once', async ({ view, sort }) => {
    const all = ids(await inbox(a.client, team.id, { view, sort, limit: '200' }));
    const walked: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const query: Record<string, string> = { view, sort, limit: '2' };
      if (cursor) query.cursor = cursor;
      const page = await inbox(a.client, team.id, query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...ids(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(walked.length);
  });
});

describe('archiving what has been seen (W5)', () => {
  it('refuses to archive when a message arrived after the one the clerk saw, then archives', async () => {
    const id = await startConversation(patients[0]!.client, [{ teamId: team.id }], {
      subject: 'Late news',
    });
    const archiveSeen = (seenSeq: number) =>
      a.client.request({
        method: 'POST',
        url: `/api/v1/conversations/${id}/teams/${team.id}/archive?seenSeq=${seenSeq}`,
      });
    expect((await send(patients[0]!.client, id, 'One more thing')).statusCode).toBe(201);
    const refused = await archiveSeen(1);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('conversation.changed_since_viewed');
    const open = await inbox(b.client, team.id, { view: 'unassigned', limit: '200' });
    expect(open.items.map((i) => i.conversationId)).toContain(id);

    expect((await archiveSeen(2)).statusCode).toBe(204);
    const done = await inbox(b.client, team.id, { view: 'archived', limit: '200' });
    expect(done.items.map((i) => i.conversationId)).toContain(id);
  });
});

describe('team inbox refusals', () => {
  const refused = async (client: Person['client'], path: string, status: number, code: string) => {
    const response = await client.request({ method: 'GET', url: path });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json<{ code: string }>().code).toBe(code);
    expect(response.body).not.toContain('Waiting');
  };

  it('a professional outside the team gets 403 inbox.not_team_member', async () => {
    await refused(outsider.client, url.inbox(team.id), 403, 'inbox.not_team_member');
  });

  it('a patient, and an unknown team, get 404', async () => {
    await refused(patients[0]!.client, url.inbox(team.id), 404, 'team.not_found');
    await refused(
      a.client,
      url.inbox('00000000-0000-4000-8000-000000000000'),
      404,
      'team.not_found',
    );
  });

  test.each([
    ['an invalid cursor', '?cursor=not-a-cursor', 'request.invalid_cursor'],
    [
      'a cursor of the wrong shape',
      `?cursor=${Buffer.from('["x"]').toString('base64url')}`,
      'request.invalid_cursor',
    ],
    ['an unknown view', '?view=everything', 'request.invalid'],
    ['an unknown sort', '?sort=oldest', 'request.invalid'],
    ['a patient id that is not a uuid', '?patientId=123', 'request.invalid'],
    ['an unknown query field', '?assignee=me', 'request.invalid'],
    ['a limit of 1000', '?limit=1000', 'request.invalid'],
  ])('refuses %s with 400', async (_name, query, code) => {
    await refused(a.client, `${url.inbox(team.id)}${query}`, 400, code);
  });

  it('refuses a team id that is not a uuid', async () => {
    await refused(a.client, url.inbox('central-appointments'), 400, 'request.invalid');
  });
});

describe('the Archived view (W4, decision 0024)', () => {
  it('lists the newest activity first whatever the sort, so what was just archived is found to reopen', async () => {
    const org = await createOrganisation(t.db);
    const clinic = await createTeam(t.db, org.id, { contactable: true });
    const clerk = await staff(t.app, t.db, org.id, [{ teamId: clinic.id, role: 'member' }]);
    const writer = await patient(t.app, t.db, [org.id]);
    const archived: string[] = [];
    for (let i = 0; i < 6; i++) {
      minute();
      const id = await startConversation(writer.client, [{ teamId: clinic.id }], {
        subject: `Sorted ${i}`,
      });
      expect((await archive(clerk.client, id, clinic.id)).statusCode).toBe(204);
      archived.push(id);
    }
    const newestFirst = [...archived].reverse();
    for (const sort of [undefined, 'waiting', 'newest']) {
      const query: Record<string, string> = { view: 'archived', ...(sort ? { sort } : {}) };
      expect(ids(await inbox(clerk.client, clinic.id, query))).toEqual(newestFirst);
      // Page by page too: pages of 4 then 2, each conversation once.
      const first = await inbox(clerk.client, clinic.id, { ...query, limit: '4' });
      const second = await inbox(clerk.client, clinic.id, {
        ...query,
        limit: '4',
        cursor: first.nextCursor!,
      });
      expect([...ids(first), ...ids(second)]).toEqual(newestFirst);
      expect(second.nextCursor).toBeNull();
    }
  });
});

describe('forged page cursors', () => {
  const cursorOf = (key: string[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const someId = '00000000-0000-4000-8000-000000000000';

  test.each([
    ['a time that is not one', ['garbage', someId]],
    ['a date with no time', ['2026-01-01', someId]],
    ['an impossible date', ['2026-02-31T00:00:00.000Z', someId]],
    // JavaScript writes these, and the database casts none of them.
    ['the year 0', ['0000-01-01T00:00:00.000Z', someId]],
    ['a year before it', ['-000001-01-01T00:00:00.000Z', someId]],
    ['a year of five digits', ['+010000-01-01T00:00:00.000Z', someId]],
  ])('%s is 400 request.invalid_cursor, not 500, in every view and list', async (_name, key) => {
    const cursor = cursorOf(key);
    for (const sort of ['waiting', 'newest']) {
      for (const view of ['unassigned', 'archived']) {
        const response = await a.client.request({
          method: 'GET',
          url: `${url.inbox(team.id)}?view=${view}&sort=${sort}&cursor=${cursor}`,
        });
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json<{ code: string }>().code).toBe('request.invalid_cursor');
      }
    }
    for (const reader of [a.client, patients[0]!.client]) {
      const mine = await reader.request({ method: 'GET', url: `${url.mine}?cursor=${cursor}` });
      expect(mine.statusCode, mine.body).toBe(400);
      expect(mine.json<{ code: string }>().code).toBe('request.invalid_cursor');
    }
  });

  it('still accepts the "infinity" a waiting page ends on, where nobody waits', async () => {
    const cursor = cursorOf(['infinity', someId]);
    const page = await inbox(a.client, team.id, { sort: 'waiting', cursor });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((i) => i.waitingSince === null)).toBe(true);
  });
});
