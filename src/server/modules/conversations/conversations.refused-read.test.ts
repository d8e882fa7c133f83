import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient,
  type Person,
  problemOf,
  staff,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';

/**
 * DESIGN C4: every read of a conversation is audited — one that is refused too, as `denied`,
 * in the chain of the patient whose conversation it is. The refused reader learns nothing
 * (the same 404 as for no conversation at all), and the patient's "Who has seen my record"
 * lists only reads that happened.
 */

let t: TestApp;
let writer: Person;
let otherPatient: Person;
let outsider: Person;
let conversationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  const elsewhere = await createTeam(t.db, org.id, { name: 'Dermatology', contactable: true });
  writer = await patient(t.app, t.db, [org.id]);
  otherPatient = await patient(t.app, t.db, [org.id]);
  outsider = await staff(t.app, t.db, org.id, [{ teamId: elsewhere.id, role: 'member' }]);
  conversationId = await startConversation(writer.client, [{ teamId: nurses.id }], {
    body: 'About my tablets',
  });
});
afterAll(() => t.close());

const refusals = (id: string) =>
  queryRows<{ patient_id: string; actor_label: string; details: unknown }>(
    t.db,
    sql`select patient_id, actor_label, details from audit_events
        where entity_id = ${id} and action = 'conversation.read' and outcome = 'denied'
        order by id`,
  );

describe('a refused read of a conversation (C4)', () => {
  it('is audited as denied in the patient’s chain, for staff and patients alike', async () => {
    for (const reader of [outsider, otherPatient]) {
      const response = await reader.client.request({
        method: 'GET',
        url: url.conversation(conversationId),
      });
      expect(response.statusCode).toBe(404);
      expect(problemOf(response).code).toBe('conversation.not_found');
    }
    const rows = await refusals(conversationId);
    expect(rows.map((r) => r.patient_id)).toEqual([writer.id, writer.id]);
    expect(rows.map((r) => r.actor_label)).toEqual([
      expect.stringContaining(outsider.name),
      expect.stringContaining(otherPatient.name),
    ]);
    expect(rows.every((r) => JSON.stringify(r.details) === '{}')).toBe(true);
  });

  it('is not in the patient’s “Who has seen my record”', async () => {
    const log = await expectStatus(writer.client, { method: 'GET', url: url.accessLog }, 200);
    const who = log.json<{ items: { who: string }[] }>().items.map((i) => i.who);
    expect(who.some((w) => w.includes(outsider.name))).toBe(false);
    expect(who.some((w) => w.includes(otherPatient.name))).toBe(false);
  });

  it('writes nothing for a conversation that does not exist', async () => {
    const missing = randomUUID();
    const response = await outsider.client.request({
      method: 'GET',
      url: url.conversation(missing),
    });
    expect(response.statusCode).toBe(404);
    expect(await refusals(missing)).toEqual([]);
  });

  it('leaves a read that is allowed as it was: one success, nothing denied', async () => {
    const before = (await refusals(conversationId)).length;
    await expectStatus(
      writer.client,
      { method: 'GET', url: url.conversation(conversationId) },
      200,
    );
    expect(await refusals(conversationId)).toHaveLength(before);
  });
});
