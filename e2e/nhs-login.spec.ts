import { expect, type Page, test } from '@playwright/test';
import { expectAccessible, watchPolicy } from './helpers';

/** Signs in through the demo NHS login (or CIS2), picking a demo person on its page. */
async function pickAtDemoProvider(page: Page, service: string, person: string) {
  await expect(
    page.getByRole('heading', { level: 1, name: `Sign in with ${service}` }),
  ).toBeVisible();
  await page.getByLabel(person).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a P9 patient continues with NHS login and lands in Messages (C5)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const policy = watchPolicy(page);
  await page.goto('/sign-in');
  const nhsLogin = page.getByRole('button', { name: 'Continue with NHS login' });
  await expect(nhsLogin).toBeVisible();
  await expect(page.getByRole('button', { name: 'Staff single sign-on' })).toBeVisible();
  await expectAccessible(page);

  await nhsLogin.click();
  await expect(page).toHaveURL(/\/demo-idp\/nhs-login\/interaction\//);
  await expectAccessible(page);
  await pickAtDemoProvider(page, 'NHS login (demo)', 'Margaret Thompson');

  await expect(page).toHaveURL(/localhost:\d+\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your messages');
  await expect(page.getByRole('link', { name: 'Send a new message' })).toBeVisible();
  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
  await context.close();
});

test('a P5 patient lands on "Verify your identity" and cannot open a conversation (C5)', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Continue with NHS login' }).click();
  await pickAtDemoProvider(page, 'NHS login (demo)', 'Chloe Davies');

  await expect(page).toHaveURL(/\/verify-identity$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Verify your identity' })).toBeVisible();
  await expect(
    page.getByText(
      'You need to verify your identity with NHS login before you can read or send messages',
    ),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Continue with NHS login' })).toBeVisible();
  await expectAccessible(page);

  // Home brings her back here; the messages pages and the API refuse her.
  await page.goto('/');
  await expect(page).toHaveURL(/\/verify-identity$/);
  await page.goto('/conversations');
  await expect(page.getByRole('heading', { level: 1, name: 'Verify your identity' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Send a new message' })).toHaveCount(0);
  const listed = await page.request.get('/api/v1/me/conversations');
  expect(listed.status()).toBe(403);
  expect(((await listed.json()) as { code: string }).code).toBe('identity.verification_required');
  const opened = await page.request.get(
    '/api/v1/conversations/00000000-0000-4000-8000-000000000000',
  );
  expect(opened.status()).toBe(403);
  await context.close();
});

test('staff with two CIS2 roles choose one on our page (C5)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Staff single sign-on' }).click();
  await pickAtDemoProvider(page, 'NHS CIS2 Authentication (demo)', 'Claire Morgan');

  await expect(page).toHaveURL(/\/sign-in\/choose-role$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose your role' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Choose the role you are working in',
  );
  await expectAccessible(page);
  await page.getByLabel(/Admin and Clerical/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Home');
  await context.close();
});

test('someone the directory does not know is refused with a clear page (C5)', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Staff single sign-on' }).click();
  await pickAtDemoProvider(page, 'NHS CIS2 Authentication (demo)', 'Robin Unlisted');
  await expect(page).toHaveURL(/\/sign-in\/problem\?code=oidc\.account_unknown$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'You do not have a Carethread account yet' }),
  ).toBeVisible();
  await expectAccessible(page);
  await context.close();
});
