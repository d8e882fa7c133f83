import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assign,
  open,
  type Person,
  patient,
  send,
  staff,
  startConversation,
  teamState,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/** On PostgreSQL (TEST_DATABASE_URL) these requests really run at the same time. */
let t: TestApp;
let team: { id: string };
let members: Person[];
let writer: Person;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  team = await createTeam(t.db, org.id, { name: 'Central Appointments', contactable: true });
  members = [];
  for (let i = 0; i < 20; i++) {
    members.push(
      await staff(t.app, t.db, org.id, [{ teamId: team.id, role: 'member' }], {
        name: `Clerk ${String(i).padStart(2, '0')}`,
      }),
    );
  }
  writer = await patient(t.app, t.db, [org.id]);
});
afterAll(() => t.close());

describe('concurrent claims (W1)', () => {
  it('20 members press "Assign to me" at once: one wins, 19 are told who did', async () => {
    const id = await startConversation(writer.client, [{ teamId: team.id }]);
    const responses = await Promise.all(members.map((m) => assign(m.client, id, team.id, 'me')));
    const won = responses.flatMap((r, i) => (r.statusCode === 200 ? [members[i]!] : []));
    expect(won).toHaveLength(1);
    const winner = won[0]!;
    const lost = responses.filter((r) => r.statusCode !== 200);
    expect(lost).toHaveLength(19);
    for (const response of lost) {
      expect(response.statusCode, response.body).toBe(409);
      const problem = response.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('conversation.already_assigned');
      expect(problem.detail).toContain(winner.name);
    }
    expect((await teamState(t.db, id, team.id))?.assignee_professional_id).toBe(winner.id);
    const assignedEvents = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events
           where action = 'conversation.assigned' and entity_id = ${id}`,
    );
    expect(assignedEvents[0]?.n).toBe(1);
  });
});

describe('concurrent sends (M6)', () => {
  it('20 messages at once take sequences 2..21: no gap, no duplicate, all readable at once', async () => {
    const id = await startConversation(writer.client, [{ teamId: team.id }]);
    const senders = [writer, ...members.slice(0, 19)];
    const responses = await Promise.all(
      senders.map((s, i) => send(s.client, id, `Message number ${i}`)),
    );
    for (const response of responses) expect(response.statusCode, response.body).toBe(201);
    const seqs = responses.map((r) => r.json<{ seq: number }>().seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const thread = await open(members[19]!.client, id);
    expect(thread.messages.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(thread.lastMessageSeq).toBe(21);
  });
});
