import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('createPatient judges a date of birth by the UK calendar (BST and GMT alike)', () => {
  it('accepts a baby born today just after midnight in summer, and refuses tomorrow', async () => {
    // 00:30 on 2 June 2027 in the UK (BST) is 23:30 on 1 June in UTC.
    t.clock.advance(new Date('2027-06-01T23:30:00Z').getTime() - t.clock.now().getTime());
    const organisation = await createOrganisation(t.db);
    const admin = await createTeam(t.db, organisation.id, { contactable: false });
    const coordinator = await createProfessional(t.db, organisation.id, [
      { teamId: admin.id, role: 'coordinator' },
    ]);
    const client = await signIn(t.app, coordinator.email);
    const register = (dateOfBirth: string) =>
      client.request({
        method: 'POST',
        url: '/api/v1/patients',
        payload: {
          organisationId: organisation.id,
          nhsNumber: randomTestNhsNumber(),
          givenName: 'Baby',
          familyName: 'Born',
          dateOfBirth,
        },
      });
    const today = await register('2027-06-02');
    expect(today.statusCode, today.body).toBe(201);
    const tomorrow = await register('2027-06-03');
    expect(tomorrow.statusCode, tomorrow.body).toBe(400);
    expect(tomorrow.json<{ errors: { code: string }[] }>().errors[0]?.code).toBe(
      'patient.date_of_birth_invalid',
    );
  });
});
