import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import { signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('text the database cannot store is a clear 400 on its field, not a 500', () => {
  it('a NUL character in a team’s or a professional’s details is refused, naming the field', async () => {
    const organisation = await createOrganisation(t.db);
    const admin = await createTeam(t.db, organisation.id, { contactable: false });
    const coordinator = await createProfessional(t.db, organisation.id, [
      { teamId: admin.id, role: 'coordinator' },
    ]);
    const client = await signInAs(t.app, coordinator.email);
    for (const [method, url, payload, field] of [
      [
        'POST',
        `/api/v1/organisations/${organisation.id}/teams`,
        {
          name: 'Nurses',
          slug: `nurses-${crypto.randomUUID().slice(0, 8)}`,
          contactable: true,
          description: 'Pasted\u0000text',
        },
        'body/description',
      ],
      ['PATCH', `/api/v1/teams/${admin.id}`, { name: 'Ad\u0000min' }, 'body/name'],
      [
        'POST',
        `/api/v1/organisations/${organisation.id}/professionals`,
        { name: 'Alex Ward', jobTitle: 'Nurse\u0000', email: 'alex.ward@trust.example' },
        'body/jobTitle',
      ],
    ] as const) {
      const response = await client.request({ method, url, payload });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(400);
      const problem = response.json<{ code: string; errors: { field: string }[] }>();
      expect(problem.code).toBe('request.invalid');
      expect(problem.errors.map((e) => e.field)).toEqual([field]);
    }
  });
});
