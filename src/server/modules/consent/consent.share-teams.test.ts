import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, patient, startConversation, url } from '../../../../test/conversation-world';
import { createOrganisation, createTeam } from '../../../../test/factories';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

interface HandlingTeam {
  teamId: string;
  teamName: string;
  organisationName: string;
  description: string;
}

describe('the teams a patient may share their record with (C2)', () => {
  it('C2: teams of the same name come with their organisation and what they do, so the patient can tell them apart', async () => {
    const leeds = await createOrganisation(t.db, 'Leeds Teaching Hospitals');
    const york = await createOrganisation(t.db, 'York and Scarborough Hospitals');
    const leedsPals = await createTeam(t.db, leeds.id, {
      name: 'PALS',
      description: 'Help with concerns at Leeds hospitals.',
    });
    const yorkPals = await createTeam(t.db, york.id, { name: 'PALS' });
    const margaret = await patient(t.app, t.db, [leeds.id, york.id]);
    const conversationId = await startConversation(margaret.client, [
      { teamId: leedsPals.id },
      { teamId: yorkPals.id },
    ]);

    const teams = (
      await expectStatus(
        margaret.client,
        { method: 'GET', url: url.conversation(conversationId) },
        200,
      )
    ).json<{ handlingTeams: HandlingTeam[] }>().handlingTeams;
    expect(teams).toHaveLength(2);
    expect(teams).toEqual(
      expect.arrayContaining([
        {
          teamId: leedsPals.id,
          teamName: 'PALS',
          organisationName: 'Leeds Teaching Hospitals',
          description: 'Help with concerns at Leeds hospitals.',
        },
        {
          teamId: yorkPals.id,
          teamName: 'PALS',
          organisationName: 'York and Scarborough Hospitals',
          description: '',
        },
      ]),
    );
  });
});
