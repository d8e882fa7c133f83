import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectStatus,
  patient,
  staff,
  startConversation,
} from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import type { PathwayStep, TeamDetail } from './directory.contracts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('an escalation pathway never offers a team that is no longer active (M2)', () => {
  it('M2: once a team on the pathway is made inactive, staff are not offered it, and the pathway shows what is still offered', async () => {
    const org = await createOrganisation(t.db);
    const admin = await createTeam(t.db, org.id, { name: 'Admin', contactable: false });
    const nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses' });
    const consultants = await createTeam(t.db, org.id, {
      name: 'Cardiology Consultants',
      contactable: false,
    });
    const surgeons = await createTeam(t.db, org.id, {
      name: 'Cardiac Surgeons',
      contactable: false,
    });
    const coordinator = await staff(t.app, t.db, org.id, [
      { teamId: admin.id, role: 'coordinator' },
    ]);
    const nurse = await staff(t.app, t.db, org.id, [{ teamId: nurses.id, role: 'member' }]);
    const writer = await patient(t.app, t.db, [org.id]);

    await expectStatus(
      coordinator.client,
      {
        method: 'PUT',
        url: `/api/v1/teams/${nurses.id}/escalation-pathway`,
        payload: {
          steps: [
            { line: 2, teamId: consultants.id },
            { line: 3, teamId: surgeons.id },
          ],
        },
      },
      200,
    );
    await expectStatus(
      coordinator.client,
      { method: 'PATCH', url: `/api/v1/teams/${consultants.id}`, payload: { active: false } },
      200,
    );

    const conversationId = await startConversation(writer.client, [{ teamId: nurses.id }]);
    const offered = await expectStatus(
      nurse.client,
      { method: 'GET', url: `/api/v1/conversations/${conversationId}/participant-suggestions` },
      200,
    );
    const names = offered
      .json<{ escalation: { target: { name: string } }[] }>()
      .escalation.map((step) => step.target.name);
    // Offering the inactive team only leads to "Choose an active team or professional".
    expect(names).toEqual(['Cardiac Surgeons']);

    const team = await expectStatus(
      coordinator.client,
      { method: 'GET', url: `/api/v1/teams/${nurses.id}` },
      200,
    );
    const pathway = team.json<TeamDetail>().escalationPathway;
    expect(pathway.map((step: PathwayStep) => step.target.name)).toEqual(['Cardiac Surgeons']);

    // The coordinator can save the pathway as the page shows it.
    await expectStatus(
      coordinator.client,
      {
        method: 'PUT',
        url: `/api/v1/teams/${nurses.id}/escalation-pathway`,
        payload: { steps: [{ line: 3, teamId: surgeons.id }] },
      },
      200,
    );
  });
});
