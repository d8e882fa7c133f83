import { expect, test, type Page } from '@playwright/test';
import {
  asCoordinator,
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
} from './helpers';

/** A demo account no other journey uses, made a member of this journey's own team. */
const STAFF = 'dermatology.consultants.manager@demo.carethread.test';
const TAG = 'Inactive – not offered to staff';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const stepRows = (page: Page) =>
  page.getByRole('table', { name: /Escalation pathway steps/ }).locator('tbody tr');
const stepNames = (page: Page) =>
  stepRows(page).locator('td:nth-child(2) .nhsuk-u-font-weight-bold');

test('M2: a step to a team made inactive stays on the pathway, marked for the coordinator, until removed; staff are not offered it', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const clinic = `Hand Clinic ${suffix}`;
  const surgeons = `Hand Surgeons ${suffix}`;
  const therapy = `Hand Therapy ${suffix}`;
  const coordinatorPage = await personPage(browser, COORDINATOR);
  const coordinator = await asCoordinator(coordinatorPage);
  const teamIds: Record<string, string> = {};
  for (const [name, contactable] of [
    [clinic, true],
    [surgeons, false],
    [therapy, false],
  ] as const) {
    const created = await coordinator.post(
      `/api/v1/organisations/${coordinator.organisationId}/teams`,
      { name, slug: name.toLowerCase().replaceAll(' ', '-'), contactable },
    );
    expect(created.status()).toBe(201);
    teamIds[name] = ((await created.json()) as { id: string }).id;
  }
  const found = await coordinatorPage.request.get(
    `/api/v1/professionals?q=${encodeURIComponent(STAFF)}`,
  );
  const staffId = ((await found.json()) as { items: { id: string }[] }).items[0]!.id;
  const joined = await coordinator.put(`/api/v1/teams/${teamIds[clinic]}/members/${staffId}`, {
    role: 'member',
    contactable: false,
  });
  expect(joined.status()).toBe(200);
  const set = await coordinator.put(`/api/v1/teams/${teamIds[clinic]}/escalation-pathway`, {
    steps: [
      { line: 2, teamId: teamIds[surgeons] },
      { line: 3, teamId: teamIds[therapy] },
    ],
  });
  expect(set.status()).toBe(200);
  const closed = await coordinator.patch(`/api/v1/teams/${teamIds[surgeons]}`, { active: false });
  expect(closed.status()).toBe(200);

  // The coordinator sees the inactive step on the team's page and in the editor, marked.
  await coordinatorPage.goto(`/teams/${teamIds[clinic]}`);
  await expect(h1(coordinatorPage)).toContainText(clinic);
  await expect(coordinatorPage.getByRole('listitem').filter({ hasText: surgeons })).toContainText(
    TAG,
  );
  await coordinatorPage.getByRole('link', { name: 'Change escalation pathway' }).click();
  await expect(h1(coordinatorPage)).toContainText('Escalation pathway');
  await expect(stepNames(coordinatorPage)).toHaveText([surgeons, therapy]);
  await expect(stepRows(coordinatorPage).nth(0)).toContainText(TAG);
  await expect(stepRows(coordinatorPage).nth(1)).not.toContainText(TAG);
  await expect(coordinatorPage.getByRole('main')).toContainText(
    `A step marked “${TAG}” is to a team or person that has been made inactive.`,
  );
  await expectAccessible(coordinatorPage);

  // Saving the pathway as shown keeps the inactive step.
  await coordinatorPage.getByRole('button', { name: 'Save escalation pathway' }).click();
  await expect(coordinatorPage.getByRole('alert')).toContainText(
    'The escalation pathway has been saved',
  );
  await coordinatorPage.reload();
  await expect(stepNames(coordinatorPage)).toHaveText([surgeons, therapy]);
  await expect(stepRows(coordinatorPage).nth(0)).toContainText(TAG);

  // Staff in the team are offered only the active step when they add people.
  const patient = await personPage(browser, PATIENT_P9);
  const subject = `Stiff fingers ${suffix}`;
  await sendNewMessage(patient, clinic, subject, 'My fingers are stiff in the mornings.');
  const member = await personPage(browser, STAFF);
  await member.goto(patient.url());
  await expect(h1(member)).toContainText(subject);
  await member.getByRole('link', { name: 'Add people' }).click();
  await expect(h1(member)).toContainText('Add people to the conversation');
  const suggested = member.getByRole('table', { name: 'Suggested by your escalation pathway' });
  await expect(suggested).toContainText(therapy);
  await expect(suggested).not.toContainText(surgeons);
  await expectAccessible(member);

  // Removed and saved, it is gone.
  await coordinatorPage.getByRole('button', { name: `Remove ${surgeons}` }).click();
  await expect(stepNames(coordinatorPage)).toHaveText([therapy]);
  await expect(coordinatorPage.getByRole('main')).not.toContainText(TAG);
  await coordinatorPage.getByRole('button', { name: 'Save escalation pathway' }).click();
  await expect(coordinatorPage.getByRole('alert')).toContainText(
    'The escalation pathway has been saved',
  );
  await coordinatorPage.reload();
  await expect(stepNames(coordinatorPage)).toHaveText([therapy]);
  await expectAccessible(coordinatorPage);
});
