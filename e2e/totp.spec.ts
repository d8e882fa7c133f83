import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { COORDINATOR, expectAccessible, PASSWORD, signIn, watchPolicy } from './helpers';

// Spare demo accounts, so the other journeys' accounts keep signing in with a password only:
// a Medical Records member made coordinator for this journey, and a Dermatology nurse.
const NEW_COORDINATOR = 'records.member2@demo.carethread.test';
const NURSE = 'dermatology.nurses.member2@demo.carethread.test';

/** The code an authenticator app would show, `steps` periods from now. */
function codeFor(secret: string, steps = 0): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: Date.now() + steps * 30_000,
  });
}

/** Six digits that are none of the codes valid around now. */
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1, 2].map((steps) => codeFor(secret, steps)));
  return ['000000', '111111', '222222', '333333', '444444'].find((c) => !valid.has(c))!;
}

/** Calls the API as the signed-in page would, CSRF token included. */
async function api(page: Page, method: string, path: string, body?: unknown) {
  const session = await page.request.get('/api/v1/session');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': csrfToken },
    ...(body === undefined ? {} : { data: body }),
  });
  expect(response.ok(), `${method} ${path}`).toBe(true);
  return response.json() as Promise<unknown>;
}

/** Makes NEW_COORDINATOR a coordinator of Medical Records, as the demo coordinator. */
async function appointCoordinator(page: Page): Promise<void> {
  await signIn(page, COORDINATOR);
  const teams = (await api(page, 'GET', '/teams?limit=100')) as {
    items: { id: string; name: string }[];
  };
  const records = teams.items.find((t) => t.name === 'Medical Records')!;
  const team = (await api(page, 'GET', `/teams/${records.id}`)) as {
    members: { professionalId: string; email: string }[];
  };
  const member = team.members.find((m) => m.email === NEW_COORDINATOR)!;
  await api(page, 'PUT', `/teams/${records.id}/members/${member.professionalId}`, {
    role: 'coordinator',
    contactable: false,
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** On the set-up page: reads the key shown as text, enters the code; returns key and codes. */
async function setUpApp(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await expect(
    page.getByRole('heading', { level: 1, name: 'Set up an authenticator app' }),
  ).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator('code[data-secret]').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText(
    'Enter the 6-digit code from your app',
  );
  await expectAccessible(page);

  await page.getByLabel('Security code').fill(codeFor(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Save your recovery codes' }),
  ).toBeVisible();
  const codes = page.getByRole('list', { name: 'Your recovery codes' }).locator('li');
  await expect(codes).toHaveCount(10);
  const recoveryCodes = (await codes.allInnerTexts()).map((c) => c.trim());
  await expectAccessible(page);
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  return { secret, recoveryCodes };
}

/** Past the sign-in pages, wherever they were heading. */
async function expectSignedIn(page: Page): Promise<void> {
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
}

async function passwordStep(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a coordinator requires an authenticator app; a nurse sets one up and signs in with it (C5)', async ({
  page,
}) => {
  const policy = watchPolicy(page);
  await appointCoordinator(page);

  // The coordinator requires an authenticator app, and is held to it first.
  await signIn(page, NEW_COORDINATOR);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Your account/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: /Sign-in settings/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Sign-in settings/ })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Yes, they need an authenticator app as well as their password').check();
  await expect(page.getByText('you will be asked to set one up too')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Save settings' }).click();
  const coordinator = await setUpApp(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // A nurse heading for the team inbox is sent to set up the app first, then lands there.
  await page.goto('/inbox');
  await expect(page).toHaveURL(/\/sign-in$/);
  await passwordStep(page, NURSE);
  await expect(page).toHaveURL(/\/account\/authenticator$/);
  await expect(page.getByText('Your organisation asks staff who sign in')).toBeVisible();
  const { secret } = await setUpApp(page);
  await expect(page.getByRole('heading', { level: 1, name: /Dermatology Nurses/ })).toBeVisible();
  await expect(page).toHaveURL(/\/inbox\//);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // Next time: password, then the code (one period ahead: the set-up code is spent).
  await passwordStep(page, NURSE);
  await expect(page).toHaveURL(/\/sign-in\/code$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Enter the code from your authenticator app' }),
  ).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Security code').fill(wrongCode(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(page.locator('#code-error')).toContainText('Enter the 6-digit code');
  await expect(page).toHaveTitle(/^Error: /);
  await expectAccessible(page);
  await page.getByLabel('Security code').fill(codeFor(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedIn(page);

  // Sign out of all devices, from the account page.
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText('Your authenticator app is set up')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign out of all devices' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('You have been signed out of all devices')).toBeVisible();
  await expectAccessible(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);

  // The coordinator has lost their phone: a recovery code signs them in, once; they lift
  // the requirement again, so the demo's other accounts keep signing in with a password.
  await passwordStep(page, NEW_COORDINATOR);
  await expect(page).toHaveURL(/\/sign-in\/code$/);
  await page.getByRole('link', { name: 'I cannot use my authenticator app' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Enter a recovery code' }),
  ).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Recovery code').fill('aaaaa-aaaaa');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#code-error')).toContainText('recovery codes');
  await expectAccessible(page);
  await page.getByLabel('Recovery code').fill(coordinator.recoveryCodes[0]!.toUpperCase());
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedIn(page);
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByText('You have 9 unused recovery codes')).toBeVisible();
  await page.getByRole('link', { name: /Sign-in settings/ }).click();
  await page.getByLabel('No, a password is enough').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The sign-in settings have been saved')).toBeVisible();
  await expectAccessible(page);

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});
