import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archive,
  assign,
  reopen,
  inbox,
  type Person,
  patient,
  send,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/**
 * W5 and W3 as a property: whatever happens to one conversation — outside messages, replies,
 * claims, unassigns, archives, reopening, leaving, people leaving and rejoining teams — a team that has
 * an outside message newer than its last archive shows the conversation in an active view
 * for every member, and the assignee is always a current member of the team.
 */

const STAFF = ['A', 'B', 'M', 'C'] as const;
type Who = (typeof STAFF)[number];
const TEAMS = ['T1', 'T2'] as const;
type TeamName = (typeof TEAMS)[number];
const MOVABLE = ['A', 'B', 'C'] as const; // the manager stays in T1
const HOME: Record<(typeof MOVABLE)[number], TeamName> = { A: 'T1', B: 'T1', C: 'T2' };

type Command =
  | { kind: 'patientWrites' }
  | { kind: 'reply'; who: Who }
  | { kind: 'assignToMe'; who: Who; team: TeamName }
  | { kind: 'unassign'; who: Who; team: TeamName }
  | { kind: 'archive'; who: Who; team: TeamName }
  | { kind: 'reopen'; who: Who; team: TeamName }
  | { kind: 'leaveAsSelf'; who: Who }
  | { kind: 'leaveWithTeam'; who: Who; team: TeamName }
  | { kind: 'removeFromTeam'; who: (typeof MOVABLE)[number] }
  | { kind: 'addToTeam'; who: (typeof MOVABLE)[number] }
  | { kind: 'bringTeamBack'; who: Who; team: TeamName };

const who = fc.constantFrom(...STAFF);
const team = fc.constantFrom(...TEAMS);
const movable = fc.constantFrom(...MOVABLE);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'patientWrites' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reply' as const), who }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('assignToMe' as const), who, team }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unassign' as const), who, team }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('archive' as const), who, team }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), who, team }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leaveAsSelf' as const), who }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leaveWithTeam' as const), who, team }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('removeFromTeam' as const), who: movable }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('addToTeam' as const), who: movable }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bringTeamBack' as const), who, team }) },
);

/** What the rules say the state is, kept beside the system. */
interface TeamModel {
  participating: boolean;
  everParticipated: boolean;
  assignee: Who | null;
  archived: boolean;
  /** Newest message from outside the team (or the moment it was brought in), epoch ms. */
  lastOutsideAt: number;
  lastArchiveAt: number | null;
}
interface Model {
  members: Record<TeamName, Set<Who>>;
  teams: Record<TeamName, TeamModel>;
}

let t: TestApp;
let teamIds: Record<TeamName, string>;
let people: Record<Who, Person>;
let coordinator: Person;
let organisationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  organisationId = org.id;
  const t1 = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  const t2 = await createTeam(t.db, org.id, { name: 'Pharmacy', contactable: true });
  const admin = await createTeam(t.db, org.id, { name: 'Admin', contactable: false });
  teamIds = { T1: t1.id, T2: t2.id };
  people = {
    A: await staff(t.app, t.db, org.id, [{ teamId: t1.id, role: 'member' }], { name: 'Nurse A' }),
    B: await staff(t.app, t.db, org.id, [{ teamId: t1.id, role: 'member' }], { name: 'Nurse B' }),
    M: await staff(t.app, t.db, org.id, [{ teamId: t1.id, role: 'manager' }], {
      name: 'Manager M',
    }),
    C: await staff(t.app, t.db, org.id, [{ teamId: t2.id, role: 'member' }], { name: 'Pharm C' }),
  };
  coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
});
afterAll(() => t.close());

const participant = (m: Model, w: Who) =>
  TEAMS.some((tn) => m.teams[tn].participating && m.members[tn].has(w));
const former = (m: Model, w: Who) =>
  TEAMS.some((tn) => m.teams[tn].everParticipated && m.members[tn].has(w));
const visible = (m: Model, w: Who) => participant(m, w) || former(m, w);

/** An outside message for every participating team the author does not write for (W5). */
function outsideMessage(m: Model, now: number, insideTeams: TeamName[]) {
  for (const tn of TEAMS) {
    const state = m.teams[tn];
    if (!state.participating || insideTeams.includes(tn)) continue;
    state.lastOutsideAt = now;
    if (state.archived) {
      state.archived = false;
      state.assignee = null;
    }
  }
}

/** The status the rules give, and the change they make when it succeeds. */
function expected(m: Model, c: Command, now: number): { status: number; apply?: () => void } {
  switch (c.kind) {
    case 'patientWrites':
      return { status: 201, apply: () => outsideMessage(m, now, []) };
    case 'reply': {
      if (!visible(m, c.who)) return { status: 404 };
      if (!participant(m, c.who)) return { status: 403 };
      const inside = TEAMS.filter((tn) => m.teams[tn].participating && m.members[tn].has(c.who));
      return { status: 201, apply: () => outsideMessage(m, now, inside) };
    }
    case 'assignToMe':
    case 'unassign':
    case 'archive':
    case 'reopen': {
      const state = m.teams[c.team];
      if (!visible(m, c.who)) return { status: 404 };
      if (!m.members[c.team].has(c.who)) return { status: 403 };
      if (!state.participating) return { status: 404 };
      if (c.kind === 'assignToMe') {
        if (state.assignee === c.who) return { status: 200 };
        if (state.archived || state.assignee !== null) return { status: 409 };
        return { status: 200, apply: () => void (state.assignee = c.who) };
      }
      if (c.kind === 'unassign') {
        if (state.assignee === null) return { status: 200 };
        if (state.assignee !== c.who && c.who !== 'M') return { status: 403 };
        return { status: 200, apply: () => void (state.assignee = null) };
      }
      if (c.kind === 'reopen') {
        if (!state.archived) return { status: 204 };
        return { status: 204, apply: () => void (state.archived = false) };
      }
      if (state.archived) return { status: 204 };
      return {
        status: 204,
        apply: () => {
          state.archived = true;
          state.assignee = null;
          state.lastArchiveAt = now;
        },
      };
    }
    case 'leaveAsSelf': {
      if (!visible(m, c.who)) return { status: 404 };
      if (!participant(m, c.who)) return { status: 403 };
      const held = TEAMS.filter((tn) => m.teams[tn].assignee === c.who);
      // Nobody here takes part as an individual: leaving as oneself only lets go of the work.
      if (held.length === 0) return { status: 409 };
      return { status: 204, apply: () => held.forEach((tn) => (m.teams[tn].assignee = null)) };
    }
    case 'leaveWithTeam': {
      if (!visible(m, c.who)) return { status: 404 };
      if (!participant(m, c.who)) return { status: 403 };
      // W5: the last staff participant may not leave (nobody here takes part individually).
      const remaining = TEAMS.filter((tn) => tn !== c.team && m.teams[tn].participating);
      if (remaining.length === 0) return { status: 409 };
      if (!m.members[c.team].has(c.who) || !m.teams[c.team].participating) return { status: 404 };
      return {
        status: 204,
        apply: () => {
          const state = m.teams[c.team];
          state.participating = false;
          state.assignee = null;
          state.archived = false;
          state.lastArchiveAt = null;
        },
      };
    }
    case 'removeFromTeam': {
      const home = HOME[c.who];
      if (!m.members[home].has(c.who)) return { status: 404 };
      return {
        status: 204,
        apply: () => {
          m.members[home].delete(c.who);
          if (m.teams[home].assignee === c.who) m.teams[home].assignee = null; // W3
        },
      };
    }
    case 'addToTeam':
      return { status: 200, apply: () => void m.members[HOME[c.who]].add(c.who) };
    case 'bringTeamBack': {
      if (!visible(m, c.who)) return { status: 404 };
      if (!participant(m, c.who)) return { status: 403 };
      if (m.teams[c.team].participating) return { status: 409 };
      return {
        status: 200,
        apply: () => {
          m.teams[c.team] = {
            participating: true,
            everParticipated: true,
            assignee: null,
            archived: false,
            lastOutsideAt: now,
            lastArchiveAt: null,
          };
        },
      };
    }
  }
}

function run(c: Command, conversationId: string): Promise<LightMyRequestResponse> {
  const client = (w: Who) => people[w].client;
  switch (c.kind) {
    case 'patientWrites':
      throw new Error('the patient writes through its own client');
    case 'reply':
      return send(client(c.who), conversationId, `Reply from ${c.who}`);
    case 'assignToMe':
      return assign(client(c.who), conversationId, teamIds[c.team], 'me');
    case 'unassign':
      return assign(client(c.who), conversationId, teamIds[c.team], null);
    case 'archive':
      return archive(client(c.who), conversationId, teamIds[c.team]);
    case 'reopen':
      return reopen(client(c.who), conversationId, teamIds[c.team]);
    case 'leaveAsSelf':
      return client(c.who).request({ method: 'POST', url: url.leave(conversationId), payload: {} });
    case 'leaveWithTeam':
      return client(c.who).request({
        method: 'POST',
        url: url.leave(conversationId),
        payload: { teamId: teamIds[c.team] },
      });
    case 'removeFromTeam':
      return coordinator.client.request({
        method: 'DELETE',
        url: url.member(teamIds[HOME[c.who]], people[c.who].id),
      });
    case 'addToTeam':
      return coordinator.client.request({
        method: 'PUT',
        url: url.member(teamIds[HOME[c.who]], people[c.who].id),
        payload: { role: 'member', contactable: false },
      });
    case 'bringTeamBack':
      return client(c.who).request({
        method: 'POST',
        url: url.participants(conversationId),
        payload: { teamId: teamIds[c.team] },
      });
  }
}

async function checkInvariants(m: Model, conversationId: string, patientId: string, step: string) {
  // The stored work of both teams at once, and whether each assignee is still a member.
  const rows = await queryRows<{
    team_id: string;
    assignee_professional_id: string | null;
    archived: boolean;
    assignee_is_member: boolean;
  }>(
    t.db,
    sql`select s.team_id, s.assignee_professional_id, s.archived_at is not null as archived,
               exists (select 1 from team_memberships tm
                        where tm.team_id = s.team_id
                          and tm.professional_id = s.assignee_professional_id) as assignee_is_member
          from conversation_team_states s where s.conversation_id = ${conversationId}`,
  );
  for (const tn of TEAMS) {
    const state = m.teams[tn];
    const stored = rows.find((r) => r.team_id === teamIds[tn]) ?? null;
    const members = [...m.members[tn]];
    if (!state.participating) {
      expect(stored, `${step}: ${tn} left, so it has no work`).toBeNull();
      for (const w of members) {
        const page = await inbox(people[w].client, teamIds[tn], { patientId, view: 'archived' });
        expect(page.counts, `${step}: ${tn} left (M4)`).toEqual({
          unassigned: 0,
          mine: 0,
          others: 0,
          archived: 0,
        });
      }
      continue;
    }
    expect(stored, `${step}: ${tn} participates`).not.toBeNull();
    const assigneeId = stored!.assignee_professional_id;
    expect(assigneeId, `${step}: ${tn}'s assignee`).toBe(
      state.assignee ? people[state.assignee].id : null,
    );
    expect(stored!.archived, `${step}: ${tn} archived`).toBe(state.archived);
    // W3: the assignee is always a current member of the team.
    if (assigneeId) expect(stored!.assignee_is_member, `${step}: W3 in ${tn}`).toBe(true);
    // W5: an outside message newer than the last archive keeps it in the active views.
    const mustBeActive = state.lastArchiveAt === null || state.lastOutsideAt > state.lastArchiveAt;
    if (mustBeActive) expect(state.archived, `${step}: model of ${tn}`).toBe(false);
    for (const w of members) {
      const page = await inbox(people[w].client, teamIds[tn], { patientId });
      // Archived as the model says: W5 above, and a reopen brings it back with no new message.
      const viewOf = state.archived
        ? 'archived'
        : state.assignee === null
          ? 'unassigned'
          : state.assignee === w
            ? 'mine'
            : 'others';
      expect(page.counts, `${step}: ${w} in ${tn} sees it in ${viewOf} (W4, W5)`).toEqual({
        unassigned: 0,
        mine: 0,
        others: 0,
        archived: 0,
        [viewOf]: 1,
      });
      if (viewOf === 'unassigned') {
        expect(page.items.map((i) => i.conversationId)).toEqual([conversationId]);
      }
    }
  }
  await checkTeamCounters(m, step);
}

/**
 * The team-wide counts come from counters a trigger keeps (migration 0006); after every step
 * they must equal a count of the work states themselves, for every member (W2).
 */
async function checkTeamCounters(m: Model, step: string) {
  for (const tn of TEAMS) {
    for (const w of m.members[tn]) {
      const [live] = await queryRows<{
        unassigned: number;
        mine: number;
        others: number;
        archived: number;
      }>(
        t.db,
        sql`select count(*) filter (where archived_at is null and assignee_professional_id is null)::int as unassigned,
                   count(*) filter (where archived_at is null and assignee_professional_id = ${people[w].id})::int as mine,
                   count(*) filter (where archived_at is null and assignee_professional_id <> ${people[w].id})::int as others,
                   count(*) filter (where archived_at is not null)::int as archived
              from conversation_team_states where team_id = ${teamIds[tn]}`,
      );
      const page = await inbox(people[w].client, teamIds[tn]);
      expect(page.counts, `${step}: ${w}'s counts in ${tn} match the work states`).toEqual(live);
    }
  }
}

async function restoreMemberships() {
  for (const w of MOVABLE) {
    const response = await coordinator.client.request({
      method: 'PUT',
      url: url.member(teamIds[HOME[w]], people[w].id),
      payload: { role: 'member', contactable: false },
    });
    expect(response.statusCode, response.body).toBe(200);
  }
}

describe('team workflow under random histories (W5, W3, W1, W4, M4)', () => {
  it('never loses a conversation, and the assignee is always a member of the team', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 15 }), async (commands) => {
        await restoreMemberships();
        t.clock.advance(1000);
        const writer = await patient(t.app, t.db, [organisationId]);
        const conversationId = await startConversation(writer.client, [
          { teamId: teamIds.T1 },
          { teamId: teamIds.T2 },
        ]);
        const start = t.clock.now().getTime();
        const fresh = (): TeamModel => ({
          participating: true,
          everParticipated: true,
          assignee: null,
          archived: false,
          lastOutsideAt: start,
          lastArchiveAt: null,
        });
        const model: Model = {
          members: { T1: new Set(['A', 'B', 'M']), T2: new Set(['C']) },
          teams: { T1: fresh(), T2: fresh() },
        };
        await checkInvariants(model, conversationId, writer.id, 'start');
        for (const [i, c] of commands.entries()) {
          t.clock.advance(1000);
          const now = t.clock.now().getTime();
          const step = `step ${i + 1} ${JSON.stringify(c)}`;
          const want = expected(model, c, now);
          const response =
            c.kind === 'patientWrites'
              ? await send(writer.client, conversationId, 'Any news?')
              : await run(c, conversationId);
          expect(response.statusCode, `${step}: ${response.body}`).toBe(want.status);
          if (response.statusCode === 409 && c.kind === 'assignToMe') {
            const holder = model.teams[c.team].assignee;
            const code = response.json<{ code: string }>().code;
            expect(code).toBe(holder ? 'conversation.already_assigned' : 'conversation.archived');
          }
          want.apply?.();
          await checkInvariants(model, conversationId, writer.id, step);
        }
      }),
      {
        numRuns: 25,
        // Histories every run covers, besides the random ones: W3 by removal and by leaving,
        // W5 by an outside message after an archive, a team brought back after leaving, and
        // work reopened by the team.
        examples: [
          [
            [
              { kind: 'assignToMe', who: 'A', team: 'T1' },
              { kind: 'assignToMe', who: 'B', team: 'T1' },
              { kind: 'removeFromTeam', who: 'A' },
              { kind: 'assignToMe', who: 'B', team: 'T1' },
              { kind: 'leaveAsSelf', who: 'B' },
              { kind: 'archive', who: 'M', team: 'T1' },
              { kind: 'reply', who: 'M' },
              { kind: 'patientWrites' },
              { kind: 'addToTeam', who: 'A' },
              { kind: 'assignToMe', who: 'C', team: 'T2' },
              { kind: 'archive', who: 'C', team: 'T2' },
              { kind: 'reply', who: 'A' },
              { kind: 'leaveWithTeam', who: 'C', team: 'T2' },
              { kind: 'bringTeamBack', who: 'A', team: 'T2' },
              { kind: 'unassign', who: 'M', team: 'T2' },
            ],
          ],
          // Reopened with no outside message since the archive (decision 0024).
          [
            [
              { kind: 'archive', who: 'A', team: 'T1' },
              { kind: 'reopen', who: 'A', team: 'T1' },
              { kind: 'unassign', who: 'A', team: 'T1' },
            ],
          ],
        ],
      },
    );
  }, 180_000);
});
