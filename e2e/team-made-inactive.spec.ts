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

test('a team made inactive: its page and website button say plainly it takes no more messages, and where to go instead', async ({
  browser,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const teamName = `Foot Clinic ${suffix}`;
  const slug = `foot-clinic-${suffix}`;
  const coordinatorPage = await personPage(browser, COORDINATOR);
  const coordinator = await asCoordinator(coordinatorPage);
  const created = await coordinator.post(
    `/api/v1/organisations/${coordinator.organisationId}/teams`,
    { name: teamName, slug, contactable: true, phone: '0161 496 0123' },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string };
  expect((await coordinator.patch(`/api/v1/teams/${team.id}`, { active: false })).status()).toBe(
    200,
  );

  // The coordinator is told what the button now does.
  await coordinatorPage.goto(`/teams/${team.id}`);
  await expect(
    coordinatorPage.getByText('Patients who use the button or the team’s page are told'),
  ).toBeVisible();

  // Someone at home opens the team's page, from a leaflet or the department's website.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const visitor = await context.newPage();
  await visitor.goto(`/t/${slug}`);
  await expect(h1(visitor)).toContainText(teamName);
  const callout = visitor.locator('.nhsuk-warning-callout');
  await expect(callout).toContainText('No longer taking messages');
  await expect(callout).toContainText(
    `${teamName} is no longer taking messages through Carethread`,
  );
  await expect(visitor.getByRole('link', { name: 'Message us securely' })).toHaveCount(0);
  await expect(visitor.getByText('Call us instead')).toHaveCount(0);
  await expect(
    visitor.getByRole('heading', { level: 2, name: 'Where to go instead' }),
  ).toBeVisible();
  // The organisation's teams that do take messages, each a link to its own page.
  await visitor.getByRole('link', { name: 'PALS', exact: true }).click();
  await expect(h1(visitor)).toContainText('PALS');
  await expect(visitor.getByRole('link', { name: 'Message us securely' })).toBeVisible();
  await visitor.goBack();
  await expect(visitor.getByRole('link', { name: 'Sign in to see your messages' })).toBeVisible();
  await expectAccessible(visitor);
  await context.close();

  // A signed-in patient following the old website button is told the same, by name.
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto(`/messages/new?team=${slug}`);
  await expect(h1(patient)).toContainText('Send a new message');
  await expect(patient.locator('#chosen-team-unavailable')).toContainText(
    `${teamName} is no longer taking messages through Carethread. Choose another team`,
  );
  await expect(patient.getByRole('checkbox', { name: teamName })).toHaveCount(0);
  await expectAccessible(patient);
});
