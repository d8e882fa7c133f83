import { eq } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  type Person,
  patient,
  problemOf,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { PathwayStep, TeamDetail } from './directory.contracts';
import { professionals } from './directory.schema';

let t: TestApp;
let coordinator: Person;
let nurse: Person;
let writer: Person;
let nurses: { id: string };
let consultants: { id: string };
let surgeons: { id: string };
let professor: { id: string };

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  const admin = await createTeam(t.db, org.id, { name: 'Admin', contactable: false });
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses' });
  consultants = await createTeam(t.db, org.id, {
    name: 'Cardiology Consultants',
    contactable: false,
  });
  surgeons = await createTeam(t.db, org.id, { name: 'Cardiac Surgeons', contactable: false });
  professor = await createProfessional(t.db, org.id, [], { name: 'Professor Lee' });
  coordinator = await staff(t.app, t.db, org.id, [{ teamId: admin.id, role: 'coordinator' }]);
  nurse = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
  writer = await patient(t.app, t.db, [org.id]);
});
afterAll(() => t.close());

const pathwayUrl = () => `/api/v1/teams/${nurses.id}/escalation-pathway`;
type StepInput = { line: 2 | 3; teamId: string } | { line: 2 | 3; professionalId: string };
const save = (steps: StepInput[]): InjectOptions => ({
  method: 'PUT',
  url: pathwayUrl(),
  payload: { steps },
});
const pathwaySeenBy = async (client: Client) =>
  (
    await expectStatus(client, { method: 'GET', url: `/api/v1/teams/${nurses.id}` }, 200)
  ).json<TeamDetail>().escalationPathway;
const named = (steps: PathwayStep[]) =>
  steps.map((step) => ({ name: step.target.name, line: step.line, active: step.active ?? true }));

describe('steps to a team or professional made inactive (M2)', () => {
  it('M2: staff are not offered them; those who change the pathway see them marked, and saving keeps them until removed', async () => {
    await expectStatus(
      coordinator.client,
      save([
        { line: 2, teamId: consultants.id },
        { line: 2, professionalId: professor.id },
        { line: 3, teamId: surgeons.id },
      ]),
      200,
    );
    await expectStatus(
      coordinator.client,
      { method: 'PATCH', url: `/api/v1/teams/${consultants.id}`, payload: { active: false } },
      200,
    );
    await t.db
      .update(professionals)
      .set({ active: false })
      .where(eq(professionals.id, professor.id));

    // Staff: offered only what they can bring in ("Add people"), and shown only that.
    const conversationId = await startConversation(writer.client, [{ teamId: nurses.id }]);
    const offered = await expectStatus(
      nurse.client,
      { method: 'GET', url: `/api/v1/conversations/${conversationId}/participant-suggestions` },
      200,
    );
    const offeredNames = offered
      .json<{ escalation: { target: { name: string } }[] }>()
      .escalation.map((step) => step.target.name);
    expect(offeredNames).toEqual(['Cardiac Surgeons']);
    expect(named(await pathwaySeenBy(nurse.client))).toEqual([
      { name: 'Cardiac Surgeons', line: 3, active: true },
    ]);

    // The coordinator sees every step, the inactive ones marked.
    const everyStep = [
      { name: 'Cardiology Consultants', line: 2, active: false },
      { name: 'Professor Lee', line: 2, active: false },
      { name: 'Cardiac Surgeons', line: 3, active: true },
    ];
    expect(named(await pathwaySeenBy(coordinator.client))).toEqual(everyStep);

    // Saving what the editor shows keeps them; so does moving one to another line.
    const kept = await expectStatus(
      coordinator.client,
      save([
        { line: 2, teamId: consultants.id },
        { line: 3, professionalId: professor.id },
        { line: 3, teamId: surgeons.id },
      ]),
      200,
    );
    expect(named(kept.json<{ escalationPathway: PathwayStep[] }>().escalationPathway)).toEqual([
      everyStep[0],
      { ...everyStep[1], line: 3 },
      everyStep[2],
    ]);

    // Removed, an inactive team cannot be added back, and the refusal changes nothing.
    await expectStatus(coordinator.client, save([{ line: 3, teamId: surgeons.id }]), 200);
    const refused = await coordinator.client.request(
      save([
        { line: 2, teamId: consultants.id },
        { line: 3, teamId: surgeons.id },
      ]),
    );
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json<{ errors: { field: string; code: string }[] }>().errors).toEqual([
      expect.objectContaining({ field: 'body/steps/0', code: 'pathway.unknown_team' }),
    ]);
    expect(problemOf(refused).code).toBe('request.invalid');
    expect(named(await pathwaySeenBy(coordinator.client))).toEqual([everyStep[2]]);

    // Made active again, it is offered again once added.
    await expectStatus(
      coordinator.client,
      { method: 'PATCH', url: `/api/v1/teams/${consultants.id}`, payload: { active: true } },
      200,
    );
    await expectStatus(
      coordinator.client,
      save([
        { line: 2, teamId: consultants.id },
        { line: 3, teamId: surgeons.id },
      ]),
      200,
    );
    expect(named(await pathwaySeenBy(nurse.client)).map((step) => step.name)).toEqual([
      'Cardiology Consultants',
      'Cardiac Surgeons',
    ]);
  });
});
