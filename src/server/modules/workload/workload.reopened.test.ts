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
  url,
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
 *
 * A third, asked 4 Nov 09:00, brings in the consultants at 09:10; they leave at 09:20, are
 * brought back on 22 Nov at 10:00 and archive at 10:20: 20 minutes, not 18 days.
 */
let t: TestApp;
let team: { id: string };
let manager: Person;
let nurse: Person;
let writers: Person[];
let consultants: { id: string };
let consultantsManager: Person;
let consultant: Person;

const ok = (response: { statusCode: number; body: string }) =>
  expect(response.statusCode, response.body).toBe(204);

async function at(instant: string): Promise<void> {
  t.clock.advance(new Date(instant).getTime() - t.clock.now().getTime());
  for (const person of [manager, nurse, consultantsManager, consultant, ...writers]) {
    person.client = await signInAs(t.app, person.email);
  }
}

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  team = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  manager = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'manager' }]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }]);
  consultants = await createTeam(t.db, org.id, { name: 'Cardiology Consultants' });
  consultantsManager = await staff(t.app, t.db, org.id, [
    { teamId: consultants.id, role: 'manager' },
  ]);
  consultant = await staff(t.app, t.db, org.id, [{ teamId: consultants.id, role: 'member' }]);
  writers = [];
  for (let i = 0; i < 3; i += 1) writers.push(await patient(t.app, t.db, [org.id]));

  await at('2026-11-02T09:00:00Z');
  const first = await startConversation(writers[0]!.client, [{ teamId: team.id }]);
  await at('2026-11-02T09:30:00Z');
  ok(await archive(nurse.client, first, team.id));
  await at('2026-11-03T09:00:00Z');
  const second = await startConversation(writers[1]!.client, [{ teamId: team.id }]);
  await at('2026-11-03T09:20:00Z');
  ok(await archive(nurse.client, second, team.id));
  await at('2026-11-04T09:00:00Z');
  const third = await startConversation(writers[2]!.client, [{ teamId: team.id }]);
  const bringInConsultants = () =>
    nurse.client.request({
      method: 'POST',
      url: url.participants(third),
      payload: { teamId: consultants.id },
    });
  await at('2026-11-04T09:10:00Z');
  expect((await bringInConsultants()).statusCode).toBe(200);
  await at('2026-11-04T09:20:00Z');
  ok(
    await consultant.client.request({
      method: 'POST',
      url: url.leave(third),
      payload: { teamId: consultants.id },
    }),
  );

  await at('2026-11-20T10:00:00Z');
  expect((await send(writers[0]!.client, first, 'It is not sorted.')).statusCode).toBe(201);
  await at('2026-11-20T10:45:00Z');
  ok(await archive(nurse.client, first, team.id));
  await at('2026-11-21T14:00:00Z');
  ok(await reopen(nurse.client, second, team.id));
  await at('2026-11-21T14:15:00Z');
  ok(await archive(nurse.client, second, team.id));
  await at('2026-11-22T10:00:00Z');
  expect((await bringInConsultants()).statusCode).toBe(200);
  await at('2026-11-22T10:20:00Z');
  ok(await archive(consultant.client, third, consultants.id));
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

  it('times a team brought back into a conversation from when it came back', async () => {
    const response = await expectStatus(
      consultantsManager.client,
      { method: 'GET', url: `/api/v1/teams/${consultants.id}/workload` },
      200,
    );
    expect(response.json<TeamWorkload>().last7Days).toMatchObject({
      completions: 1,
      completionMedianMinutes: 20,
    });
  });
});
