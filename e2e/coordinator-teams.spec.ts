import { expect, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, watchPolicy, signIn } from './helpers';

test('coordinator registers a team, adds a member and puts it on an escalation pathway', async ({
  page,
}) => {
  const policy = watchPolicy(page);
  const h1 = page.getByRole('heading', { level: 1 });

  await page.goto('/sign-in');
  await expectAccessible(page);
  await signIn(page, COORDINATOR);
  await expect(h1).toHaveText(/Home/);
  await expect(page).toHaveTitle('Home – Carethread');
  await expectAccessible(page);

  // Teams list
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await expect(h1).toHaveText('Teams');
  await expect(h1).toBeFocused();
  await expect(page).toHaveTitle('Teams – Carethread');
  await expect(page.getByRole('link', { name: 'PALS' })).toBeVisible();
  await expectAccessible(page);

  // Register a team: an empty form first shows the error summary, focused.
  await page.getByRole('link', { name: 'Register a team' }).click();
  await expect(h1).toHaveText(/Register a team/);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Register team' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Enter the team name');
  await expect(page).toHaveTitle('Error: Register a team – Carethread');
  await expectAccessible(page);
  await summary.getByRole('link', { name: 'Enter the team name' }).click();
  await expect(page.getByLabel('Team name')).toBeFocused();

  await page.getByLabel('Team name').fill('Hand Therapy');
  await expect(page.getByLabel('Short name')).toHaveValue('hand-therapy');
  await page
    .getByLabel('Description (optional)')
    .fill('Splints, exercises and recovery after hand surgery.');
  await page
    .getByRole('group', { name: 'Can patients message this team directly?' })
    .getByLabel('No')
    .check();
  await page.getByLabel('Phone number (optional)').fill('020 7946 0000');
  await page.getByLabel('Closed on Friday').check();
  await page.getByLabel('Closes on Monday').fill('16:30');
  await page.getByRole('button', { name: 'Register team' }).click();

  await expect(h1).toHaveText(/Hand Therapy/);
  await expect(page.getByRole('alert')).toContainText('Hand Therapy has been registered');
  const details = page.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('Patients can message directly');
  await expect(
    details.locator('.nhsuk-summary-list__row', { hasText: 'Patients can message directly' }),
  ).toContainText('No');
  await expect(details).toContainText('Monday: 09:00 to 16:30');
  await expect(details).toContainText('Friday: closed');
  await expectAccessible(page);
  const teamUrl = page.url();

  // Add a member by creating a new professional.
  await page.getByRole('link', { name: /0 members/ }).click();
  await expect(h1).toHaveText(/Team members/);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Create a new professional' }).click();
  await expect(h1).toHaveText(/Create a new professional/);
  await expectAccessible(page);
  await page.getByLabel('Full name').fill('Nadia Rahman');
  await page.getByLabel('Job title').fill('Hand Therapist');
  await page.getByLabel('Work email address').fill('nadia.rahman@demo.carethread.test');
  await page.getByLabel('Manager').check();
  await page.getByRole('button', { name: 'Create and add to team' }).click();
  await expect(h1).toHaveText(/Team members/);
  await expect(page.getByRole('alert')).toContainText(
    'Nadia Rahman has been added to Hand Therapy',
  );
  const row = page.getByRole('row', { name: /Nadia Rahman/ });
  await expect(row).toContainText('Hand Therapist');
  await expect(row.getByLabel('Role of Nadia Rahman')).toHaveValue('manager');
  await expectAccessible(page);

  // Make Hand Therapy the second line of Cardiology Nurses.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Cardiology Nurses' }).click();
  await expect(h1).toHaveText(/Cardiology Nurses/);
  await page.getByRole('link', { name: 'Change escalation pathway' }).click();
  await expect(h1).toHaveText(/Escalation pathway/);
  await expectAccessible(page);
  await page.getByLabel('Name (optional)').fill('Hand');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: 'Add Hand Therapy as second line' }).click();
  const steps = page.getByRole('table', { name: /Escalation pathway steps/ });
  await expect(steps.getByRole('row', { name: /Hand Therapy/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save escalation pathway' }).click();
  await expect(page.getByRole('alert')).toContainText('The escalation pathway has been saved');
  await expectAccessible(page);

  // Everything survives a reload.
  await page.reload();
  const savedRow = page
    .getByRole('table', { name: /Escalation pathway steps/ })
    .getByRole('row', { name: /Hand Therapy/ });
  await expect(savedRow).toBeVisible();
  await expect(savedRow.getByLabel('Line for Hand Therapy')).toHaveValue('2');

  await page.goto(teamUrl);
  await expect(h1).toHaveText(/Hand Therapy/);
  await expect(
    page.locator('.nhsuk-summary-list__row', { hasText: 'Patients can message directly' }),
  ).toContainText('No');
  await expect(page.getByRole('link', { name: /1 member/ })).toBeVisible();
  await page.goto(`${teamUrl}/members`);
  await expect(page.getByRole('row', { name: /Nadia Rahman/ })).toBeVisible();

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});

test('an unknown page shows page not found', async ({ page }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page).toHaveTitle('Page not found – Carethread');
  await expectAccessible(page);
});

test('signed-out people are sent to sign in', async ({ page }) => {
  await page.goto('/teams');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Carethread');
});
