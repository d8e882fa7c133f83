import { expect, test, type Page } from '@playwright/test';
import {
  asCoordinator,
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
} from './helpers';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('when the only team in a conversation is made inactive, the patient is told to write a new message instead (W5)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const teamName = `Leg Ulcer Clinic ${suffix}`;
  const coordinatorPage = await personPage(browser, COORDINATOR);
  const coordinator = await asCoordinator(coordinatorPage);
  const created = await coordinator.post(
    `/api/v1/organisations/${coordinator.organisationId}/teams`,
    { name: teamName, slug: `leg-ulcer-clinic-${suffix}`, contactable: true },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string };

  const patient = await personPage(browser, PATIENT_P9);
  const subject = `Dressings ${suffix}`;
  await sendNewMessage(patient, teamName, subject, 'My dressing needs changing.');
  await expect(patient.getByLabel('Your reply')).toBeVisible();
  const threadUrl = patient.url();

  // The coordinator makes the team inactive, told first what that means.
  await coordinatorPage.goto(`/teams/${team.id}`);
  await expect(h1(coordinatorPage)).toContainText(teamName);
  const warning = coordinatorPage.locator('.nhsuk-warning-callout');
  await expect(warning).toHaveCount(0);
  await coordinatorPage.getByRole('radio', { name: 'Inactive' }).check();
  await expect(warning).toContainText(`Making ${teamName} inactive`);
  await expect(warning).toContainText('they will be told to send a new message instead');
  await expect(warning.locator('xpath=ancestor::*[@aria-live="polite"]')).toHaveCount(1);
  await expectAccessible(coordinatorPage);
  await coordinatorPage.getByRole('button', { name: 'Save changes' }).click();
  await expect(coordinatorPage.getByRole('alert')).toContainText(
    'Changes to the team have been saved',
  );
  await expect(warning).toHaveCount(0);

  await patient.goto(threadUrl);
  await expect(h1(patient)).toContainText(subject);
  await expect(patient.getByText('My dressing needs changing.')).toBeVisible();
  await expect(patient.getByLabel('Your reply')).toHaveCount(0);
  await expect(patient.getByRole('main')).toContainText(
    'The staff in this conversation no longer use Carethread, so nobody would read a reply here.',
  );
  await expectAccessible(patient);
  await patient
    .getByRole('link', { name: 'Send a new message to a team that looks after you' })
    .click();
  await expect(h1(patient)).toContainText('Send a new message');
});
