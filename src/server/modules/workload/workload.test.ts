import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archive,
  assign,
  expectStatus,
  type Person,
  patient,
  problemOf,
  send,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createPatient, createTeam } from '../../../../test/factories';
import { ANONYMOUS_CLIENT } from '../../../../test/http';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { OrganisationStatistics, TeamWorkload } from './workload.contracts';

/**
 * A seeded history with known answers (November is GMT, so UK dates are UTC dates):
 *
 * | conversation | patient writes   | first reply by a member | archived         | now          |
 * | ------------ | ---------------- | ----------------------- | ---------------- | ------------ |
 * | 1            | 5 Nov 09:00      | A, 10:30 (90 min)       | 10:40 (100 min)  | archived     |
 * | 2            | 22 Nov 09:00     | B, 09:10 (10 min)       | 11:00 (120 min)  | archived     |
 * | 3            | 24 Nov 09:00     | A, 09:50 (50 min)       | —                | assigned: A  |
 * | 4            | 25 Nov 08:00     | — (an outsider replied) | —                | unassigned   |
 *
 * Measured at 25 Nov 09:00: last 7 days, first responses 10 and 50 (median 30) and one
 * completion (120); last 30 days, 90, 10 and 50 (median 50) and 100 and 120 (median 110).
 */
let t: TestApp;
let organisationId: string;
let team: { id: string; name: string };
let manager: Person;
let a: Person;
let b: Person;
let outsider: Person;
let coordinator: Person;
let writers: Person[];
let conversations: string[];
let people: Person[];

async function at(instant: string): Promise<void> {
  t.clock.advance(new Date(instant).getTime() - t.clock.now().getTime());
  // Sessions end after 30 idle minutes; the history spans weeks.
  for (const person of people) person.client = await signInAs(t.app, person.email);
}

const ok = (response: { statusCode: number; body: string }, status = 200) =>
  expect(response.statusCode, response.body).toBe(status);

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  organisationId = org.id;
  team = await createTeam(t.db, org.id, { name: '=Cardiology Nurses', contactable: true });
  const other = await createTeam(t.db, org.id, { name: 'Cardiology Consultants' });
  const admin = await createTeam(t.db, org.id, { name: 'PALS' });
  manager = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'manager' }], {
    name: 'Mo Manager',
  });
  a = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }], { name: 'Ann A' });
  b = await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }], { name: 'Ben B' });
  outsider = await staff(t.app, t.db, org.id, [{ teamId: other.id, role: 'member' }]);
  coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
  writers = [];
  for (let i = 0; i < 4; i += 1) writers.push(await patient(t.app, t.db, [org.id]));
  await createPatient(t.db, [org.id], { identityLevel: 'P5' });
  people = [manager, a, b, outsider, coordinator, ...writers];
  conversations = [];

  await at('2026-11-05T09:00:00Z');
  conversations.push(await startConversation(writers[0]!.client, [{ teamId: team.id }]));
  await at('2026-11-05T10:30:00Z');
  ok(await send(a.client, conversations[0]!, 'We have booked you in.'), 201);
  await at('2026-11-05T10:40:00Z');
  ok(await archive(a.client, conversations[0]!, team.id), 204);

  await at('2026-11-22T09:00:00Z');
  conversations.push(await startConversation(writers[1]!.client, [{ teamId: team.id }]));
  await at('2026-11-22T09:10:00Z');
  ok(await send(b.client, conversations[1]!, 'Thank you, we will call you.'), 201);
  await at('2026-11-22T11:00:00Z');
  ok(await archive(b.client, conversations[1]!, team.id), 204);

  await at('2026-11-24T09:00:00Z');
  conversations.push(await startConversation(writers[2]!.client, [{ teamId: team.id }]));
  await at('2026-11-24T09:20:00Z');
  ok(await assign(a.client, conversations[2]!, team.id));
  await at('2026-11-24T09:50:00Z');
  ok(await send(a.client, conversations[2]!, 'Your results are back.'), 201);

  await at('2026-11-25T08:00:00Z');
  conversations.push(
    await startConversation(writers[3]!.client, [{ teamId: team.id }, { teamId: other.id }]),
  );
  await at('2026-11-25T08:30:00Z');
  // A reply from another team is not this team's first response.
  ok(await send(outsider.client, conversations[3]!, 'Passing this to the nurses.'), 201);
  await at('2026-11-25T09:00:00Z');
});

afterAll(() => t.close());

describe('getTeamWorkload (issue 8: who is helping whom)', () => {
  it('gives the team’s managers the figures of the seeded history', async () => {
    const response = await expectStatus(
      manager.client,
      { method: 'GET', url: `/api/v1/teams/${team.id}/workload` },
      200,
    );
    const workload = response.json<TeamWorkload>();
    expect(workload.asOf).toBe('2026-11-25T09:00:00.000Z');
    expect(workload.members.map((m) => [m.name, m.role, m.assigned.length])).toEqual([
      ['Ann A', 'member', 1],
      ['Ben B', 'member', 0],
      ['Mo Manager', 'manager', 0],
    ]);
    const [assigned] = workload.members[0]!.assigned;
    expect(assigned).toMatchObject({
      conversationId: conversations[2],
      subject: 'A question',
      patient: { id: writers[2]!.id, name: writers[2]!.name },
      assignedAt: '2026-11-24T09:20:00.000Z',
      waitingSince: null,
    });
    expect(workload.unassigned).toEqual({
      count: 1,
      oldestWaitingSince: '2026-11-25T08:00:00.000Z',
    });
    expect(workload.last7Days).toEqual({
      firstResponses: 2,
      firstResponseMedianMinutes: 30,
      completions: 1,
      completionMedianMinutes: 120,
    });
    expect(workload.last30Days).toEqual({
      firstResponses: 3,
      firstResponseMedianMinutes: 50,
      completions: 2,
      completionMedianMinutes: 110,
    });
    expect(workload.completedPerDay).toHaveLength(30);
    expect(workload.completedPerDay[0]).toEqual({ date: '2026-10-27', completed: 0 });
    expect(workload.completedPerDay.at(-1)).toEqual({ date: '2026-11-25', completed: 0 });
    expect(workload.completedPerDay.filter((d) => d.completed > 0)).toEqual([
      { date: '2026-11-05', completed: 1 },
      { date: '2026-11-22', completed: 1 },
    ]);
    // No message content, ever.
    expect(response.body).not.toContain('booked you in');
    expect(response.body).not.toContain('Hello, I have a question');
  });

  it('is refused to members who do not manage the team, to patients and to strangers', async () => {
    for (const [who, status, code] of [
      [a, 403, 'workload.not_team_manager'],
      [outsider, 403, 'workload.not_team_manager'],
      [coordinator, 403, 'workload.not_team_manager'],
      [writers[0]!, 403, 'workload.not_team_manager'],
    ] as const) {
      const response = await expectStatus(
        who.client,
        { method: 'GET', url: `/api/v1/teams/${team.id}/workload` },
        status,
      );
      expect(problemOf(response).code).toBe(code);
    }
    const anonymous = await ANONYMOUS_CLIENT(t.app).request({
      method: 'GET',
      url: `/api/v1/teams/${team.id}/workload`,
    });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await expectStatus(
      manager.client,
      { method: 'GET', url: `/api/v1/teams/00000000-0000-4000-8000-000000000000/workload` },
      404,
    );
    expect(problemOf(unknown).code).toBe('team.not_found');
  });
});

describe('getOrganisationStatistics (issue 8)', () => {
  it('counts messages per team per week, patients and response times, naming no patient', async () => {
    const response = await expectStatus(
      coordinator.client,
      { method: 'GET', url: `/api/v1/organisations/${organisationId}/statistics` },
      200,
    );
    const statistics = response.json<OrganisationStatistics>();
    expect(statistics.weeks).toHaveLength(12);
    expect(statistics.weeks.at(-1)).toBe('2026-11-23');
    expect(statistics.weeks[0]).toBe('2026-09-07');
    expect(statistics.patients).toEqual({ registered: 5, verified: 4 });
    const nurses = statistics.teams.find((x) => x.teamId === team.id)!;
    const perWeek = Object.fromEntries(
      statistics.weeks.map((w, i) => [w, nurses.messagesPerWeek[i]]),
    );
    expect(perWeek['2026-11-02']).toBe(2);
    expect(perWeek['2026-11-09']).toBe(0);
    expect(perWeek['2026-11-16']).toBe(2);
    // Conversation 3 (two messages) and 4 (the patient's and the outsider's).
    expect(perWeek['2026-11-23']).toBe(4);
    // The organisation's total counts conversation 4's two messages once, though both teams
    // take part: 4, not the teams' 4 + 2.
    expect(statistics.messagesPerWeek).toHaveLength(12);
    expect(statistics.messagesPerWeek.at(-1)).toBe(4);
    expect(nurses.last30Days.firstResponseMedianMinutes).toBe(50);
    for (const writer of writers) expect(response.body).not.toContain(writer.name);
  });

  it('exports the same figures as CSV a spreadsheet cannot run as formulas', async () => {
    const response = await expectStatus(
      coordinator.client,
      { method: 'GET', url: `/api/v1/organisations/${organisationId}/statistics.csv` },
      200,
    );
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="carethread-statistics-2026-11-25.csv"',
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('measure,team,period,value');
    expect(lines).toContain('patients_registered,,as of 2026-11-25T09:00:00.000Z,5');
    expect(lines).toContain("messages,'=Cardiology Nurses,week starting 2026-11-23,4");
    expect(lines).toContain("median_completion_minutes,'=Cardiology Nurses,last 30 days,110");
  });

  it('is for the organisation’s coordinators only', async () => {
    for (const who of [manager, a, writers[0]!]) {
      const response = await expectStatus(
        who.client,
        { method: 'GET', url: `/api/v1/organisations/${organisationId}/statistics` },
        403,
      );
      expect(problemOf(response).code).toBe('statistics.not_coordinator');
    }
    const elsewhere = await createOrganisation(t.db);
    const response = await expectStatus(
      coordinator.client,
      { method: 'GET', url: `/api/v1/organisations/${elsewhere.id}/statistics.csv` },
      403,
    );
    expect(problemOf(response).code).toBe('statistics.not_coordinator');
  });
});
