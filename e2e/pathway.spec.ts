import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, signIn } from './helpers';

const stepNames = (page: Page) =>
  page
    .getByRole('table', { name: /Escalation pathway steps/ })
    .locator('tbody tr td:nth-child(2) .nhsuk-u-font-weight-bold');

test('pathway steps keep second line before third line, and can be reordered', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Dermatology Reception' }).click();
  await page.getByRole('link', { name: 'Change escalation pathway' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Escalation pathway/);
  await expect(stepNames(page)).toHaveText(['Dermatology Nurses', 'Dermatology Consultants']);

  // A new second-line step goes after the existing second line, before the third.
  await page.getByLabel('Name (optional)').fill('PALS');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: 'Add PALS as second line' }).click();
  await expect(stepNames(page)).toHaveText([
    'Dermatology Nurses',
    'PALS',
    'Dermatology Consultants',
  ]);

  // Moving it below a third-line step is caught before saving.
  await page.getByRole('button', { name: 'Move down PALS' }).click();
  await expect(page.getByRole('button', { name: 'Move up PALS' })).toBeFocused();
  await expect(stepNames(page)).toHaveText([
    'Dermatology Nurses',
    'Dermatology Consultants',
    'PALS',
  ]);
  await page.getByRole('button', { name: 'Save escalation pathway' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('second-line steps must come before third-line steps');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Move up PALS' }).click();
  await page.getByRole('button', { name: 'Remove Dermatology Nurses' }).click();
  await expect(stepNames(page)).toHaveText(['PALS', 'Dermatology Consultants']);
  await page.getByRole('button', { name: 'Save escalation pathway' }).click();
  await expect(page.getByRole('alert')).toContainText('The escalation pathway has been saved');

  await page.reload();
  await expect(stepNames(page)).toHaveText(['PALS', 'Dermatology Consultants']);
  await expectAccessible(page);
});
