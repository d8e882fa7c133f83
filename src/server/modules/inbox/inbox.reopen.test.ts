import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archive,
  conversationState,
  count,
  inbox,
  open,
  type Person,
  patient,
  reopen,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * Decision 0024: a team member brings back what their team archived — by mistake, or because
 * the patient rang to say it is not sorted. It goes to Unassigned for every member, waiting
 * from then; the other teams' work on the conversation is left as it is.
 */

let t: TestApp;
let nurses: { id: string };
let pharmacy: { id: string };
let nurseA: Person;
let nurseB: Person;
let pharmacist: Person;
let margaret: Person;
let conversationId: string;

const reopenAs = (who: Person, teamId: string) => reopen(who.client, conversationId, teamId);
const reopenedEvents = () =>
  count(
    t.db,
    sql`select count(*)::int as n from audit_events
         where action = 'conversation.reopened' and entity_id = ${conversationId}`,
  );

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  pharmacy = await createTeam(t.db, org.id, { name: 'Pharmacy', contactable: true });
  nurseA = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse A',
  });
  nurseB = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse B',
  });
  pharmacist = await staff(t.app, t.db, org.id, [{ teamId: pharmacy.id, role: 'member' }]);
  margaret = await patient(t.app, t.db, [org.id]);
  conversationId = await startConversation(
    margaret.client,
    [{ teamId: nurses.id }, { teamId: pharmacy.id }],
    { subject: 'My tablets' },
  );
  expect((await archive(nurseA.client, conversationId, nurses.id)).statusCode).toBe(204);
  expect((await archive(pharmacist.client, conversationId, pharmacy.id)).statusCode).toBe(204);
});
afterAll(() => t.close());

describe('reopening archived work (decision 0024, W4, W5)', () => {
  it('offers Reopen, not Archive or Assign to me, on archived work', async () => {
    const [work] = (await open(nurseB.client, conversationId)).teamWorkflow;
    expect(work!.archived).toBe(true);
    expect(work!.actions).toEqual({
      assignToMe: false,
      unassign: false,
      archive: false,
      reopen: true,
    });
  });

  it('refuses anyone outside the team and changes nothing', async () => {
    const before = await conversationState(t.db, conversationId);
    const byPharmacist = await reopenAs(pharmacist, nurses.id);
    expect(byPharmacist.statusCode).toBe(403);
    expect(byPharmacist.json<{ code: string }>().code).toBe('inbox.not_team_member');
    const byPatient = await reopenAs(margaret, nurses.id);
    expect(byPatient.statusCode).toBe(403);
    expect(await conversationState(t.db, conversationId)).toEqual(before);
    expect(await reopenedEvents()).toBe(0);
  });

  it('puts it back in Unassigned for every member, waiting from now, and audits it (C4)', async () => {
    const before = await inbox(nurseA.client, nurses.id);
    t.clock.advance(5 * 60_000);
    expect((await reopenAs(nurseB, nurses.id)).statusCode).toBe(204);

    for (const member of [nurseA, nurseB]) {
      const page = await inbox(member.client, nurses.id, { view: 'unassigned' });
      const item = page.items.find((i) => i.conversationId === conversationId);
      expect(item?.assignee ?? null).toBeNull();
      expect(item?.waitingSince).toBe(t.clock.now().toISOString());
      expect(item?.lastActivityAt).toBe(t.clock.now().toISOString());
      expect(page.counts).toEqual({
        ...before.counts,
        unassigned: before.counts.unassigned + 1,
        archived: before.counts.archived - 1,
      });
    }
    expect(await reopenedEvents()).toBe(1);
    // W4: the other team's work is its own: Pharmacy's stays archived.
    const pharmacyArchive = await inbox(pharmacist.client, pharmacy.id, { view: 'archived' });
    expect(pharmacyArchive.items.map((i) => i.conversationId)).toContain(conversationId);
  });

  it('reopening what is open changes nothing and records nothing more', async () => {
    const before = await conversationState(t.db, conversationId);
    expect((await reopenAs(nurseA, nurses.id)).statusCode).toBe(204);
    expect(await conversationState(t.db, conversationId)).toEqual(before);
    expect(await reopenedEvents()).toBe(1);
  });
});
