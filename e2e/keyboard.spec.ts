import { expect, test } from '@playwright/test';
import { COORDINATOR, PASSWORD } from './helpers';

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/sign-in');
  const nhsLogin = page.getByRole('button', { name: 'Continue with NHS login' });
  await expect(nhsLogin).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#maincontent')).toBeFocused();
  // The next Tab goes into the page content, not back through the header: the first way to
  // sign in on the page.
  await page.keyboard.press('Tab');
  await expect(nhsLogin).toBeFocused();
});

test('signing in with the keyboard alone moves focus to the new page heading', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').focus();
  await page.keyboard.type(COORDINATOR);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toContainText('Home');
  await expect(h1).toBeFocused();
});
