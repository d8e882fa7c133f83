import { expect, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, PATIENT_P5, PATIENT_P9, signIn } from './helpers';

test('a wrong password shows the error summary', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(COORDINATOR);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('There is a problem');
  await expect(summary).toContainText('Enter a correct email address and password');
  await expect(page).toHaveTitle('Error: Sign in – Carethread');
  await expect(page.locator('#email-error')).toContainText(
    'Enter a correct email address and password',
  );
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectAccessible(page);
});

test('an empty sign-in form says what to enter', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Enter your email address');
  await expect(summary).toContainText('Enter your password');
  await expectAccessible(page);
});

test('a verified (P9) patient sees their home', async ({ page }) => {
  await signIn(page, PATIENT_P9);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your messages');
  await expect(page.getByRole('link', { name: 'Send a new message' })).toBeVisible();
  await expect(page.getByText(/verify your identity/)).toHaveCount(0);
  await expect(
    page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Appointments' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a P5 patient is asked to verify their identity', async ({ page }) => {
  await signIn(page, PATIENT_P5);
  await expect(
    page.getByText(
      'You need to verify your identity with NHS login before you can read or send messages',
    ),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Send a new message' })).toHaveCount(0);
  await expectAccessible(page);
});
