import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archive,
  expectStatus,
  type Person,
  patient,
  reopen,
  send,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { TeamWorkload } from './workload.contracts';

/**
 * Work that comes back from Archived is a new round, timed from when it came back:
 *
 * | conversation | first round                       | back from Archived           | archived again |
 * | ------------ | --------------------------------- | ---------------------------- | -------------- |
 * | 1            | asked 2 Nov 09:00, archived 09:30 | patient writes 20 Nov 10:00  | 10:45 (45 min) |
 * | 2            | asked 3 Nov 09:00, archived 09:20 | team reopens 21 Nov 14:00    | 14:15 (15 min) |
 *
 * At 25 Nov 09:00 the last 7 days hold the two second rounds: median (45 + 15) / 2 = 30 min.
 * Timed from the first questions they would be about 18 and 18.2 days.
 */
let t: TestApp;
let team: { id: string };
let manager: Person;
let nurse: Person;
let writers: Person[];

const ok = (response: { statusCode: number; body: string }) =>
  expect(response.statusCode, response.body).toBe(204);

async function at(instant: string): Promise<void> {
  t.clock.advance(new Date(instant).getTime() - t.clock.now().getTime());
  for (const person of [manager, nurse, ...writers]) {
    person.client = await signInAs(t.app, person.email);
  }
}

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  team = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  manager = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'manager' }]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
  writers = [await patient(t.app, t.db, [org.id]), await patient(t.app, t.db, [org.id])];

  await at('2026-11-02T09:00:00Z');
  const first = await startConversation(writers[0]!.client, [{ teamId: team.id }]);
  await at('2026-11-02T09:30:00Z');
  ok(await archive(nurse.client, first, team.id));
  await at('2026-11-03T09:00:00Z');
  const second = await startConversation(writers[1]!.client, [{ teamId: team.id }]);
  await at('2026-11-03T09:20:00Z');
  ok(await archive(nurse.client, second, team.id));

  await at('2026-11-20T10:00:00Z');
  expect((await send(writers[0]!.client, first, 'It is not sorted.')).statusCode).toBe(201);
  await at('2026-11-20T10:45:00Z');
  ok(await archive(nurse.client, first, team.id));
  await at('2026-11-21T14:00:00Z');
  ok(await reopen(nurse.client, second, team.id));
  await at('2026-11-21T14:15:00Z');
  ok(await archive(nurse.client, second, team.id));
  await at('2026-11-25T09:00:00Z');
});

afterAll(() => t.close());

describe('completion times of work that came back from Archived (W4, decision 0024)', () => {
  it('times a second round from when it came back, not from the first question', async () => {
    const response = await expectStatus(
      manager.client,
      { method: 'GET', url: `/api/v1/teams/${team.id}/workload` },
      200,
    );
    const workload = response.json<TeamWorkload>();
    expect(workload.last7Days).toMatchObject({ completions: 2, completionMedianMinutes: 30 });
    expect(workload.last30Days).toMatchObject({ completions: 2, completionMedianMinutes: 30 });
  });
});
