import { expect, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, signIn } from './helpers';

test('a short name already in use is shown against the field', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams/new');
  await page.getByLabel('Team name').fill('PALS again');
  await page.getByLabel('Short name').fill('demo-pals');
  await page
    .getByRole('group', { name: 'Can patients message this team directly?' })
    .getByLabel('Yes')
    .check();
  await page.getByRole('button', { name: 'Register team' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Another team already uses this short name');
  await expect(page.locator('#slug-error')).toContainText('Another team already uses');
  await expectAccessible(page);
});

test('coordinator changes a team’s details', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Central Appointments' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Central Appointments');

  // An impossible time is caught on the field.
  await page.getByLabel('Closes on Tuesday').fill('08:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('closing time on Tuesday must be after the opening time');
  await expect(page).toHaveTitle('Error: Central Appointments – Carethread');
  await expectAccessible(page);

  await page.getByLabel('Closes on Tuesday').fill('1930');
  await page.getByLabel('Phone number (optional)').fill('0300 123 9999');
  await page.getByLabel('Closed on Saturday').uncheck();
  await page.getByLabel('Opens on Saturday').fill('10:00');
  await page.getByLabel('Closes on Saturday').fill('13:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Changes to the team have been saved');
  await expect(page).toHaveTitle('Central Appointments – Carethread');

  await page.reload();
  const details = page.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('0300 123 9999');
  await expect(details).toContainText('Tuesday: 08:00 to 19:30');
  await expect(details).toContainText('Saturday: 10:00 to 13:00');
  await expectAccessible(page);
});
