import { expect, test } from '@playwright/test';
import { startWebhookReceiver } from '../test/webhook-receiver';
import {
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
  watchFilledLiveRegions,
  watchPolicy,
} from './helpers';

// Margaret Thompson: cared for by the demo's Cardiology Nurses (and its record-wide teams).
const MARGARET_NHS_NUMBER = '9990000018';
const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

test('a coordinator connects a system, which reads a record and is told of new messages until it is disconnected', async ({
  page,
  context,
  request,
  browser,
}) => {
  const policy = watchPolicy(page);
  const h1 = page.getByRole('heading', { level: 1 });
  const summary = page.locator('.nhsuk-error-summary');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  // Teams → Connected systems: nothing connected yet, and the addresses for the IT team.
  await signIn(page, COORDINATOR);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Connected systems' }).click();
  await expect(h1).toContainText('Connected systems');
  await expect(h1).toBeFocused();
  await expect(page).toHaveTitle('Connected systems – Carethread');
  const origin = new URL(page.url()).origin;
  await expect(page.getByText(`${origin}/fhir/R4`, { exact: true })).toBeVisible();
  await expect(page.getByText(`${origin}/oauth2/token`, { exact: true })).toBeVisible();
  await expectAccessible(page);

  // An empty form: both problems in the summary, focused, and against their fields.
  await page.getByRole('link', { name: 'Connect a system' }).click();
  await expect(h1).toContainText('Connect a system');
  await expect(page).toHaveTitle('Connect a system – Carethread');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Connect system' }).click();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Enter the name of the system');
  await expect(summary).toContainText('Select at least one thing the system may read');
  await expect(page.locator('#name-error')).toContainText('Enter the name of the system');
  await expect(page.locator('#scopes-error')).toContainText('Select at least one thing');
  await expect(page).toHaveTitle('Error: Connect a system – Carethread');
  await expectAccessible(page);
  await summary.getByRole('link', { name: 'Enter the name of the system' }).click();
  await expect(page.getByLabel('Name of the system')).toBeFocused();

  await page.getByLabel('Name of the system').fill('Ward EPR');
  await page
    .getByRole('group', { name: 'What may it read?' })
    .getByRole('checkbox', { name: 'Patient details' })
    .check();
  await page
    .getByRole('group', { name: 'What may it read?' })
    .getByRole('checkbox', { name: 'Notifications of new messages' })
    .check();
  await page
    .getByRole('group', { name: 'What may it read?' })
    .getByRole('checkbox', { name: 'Conversations and messages' })
    .check();
  const filledLiveRegions = await watchFilledLiveRegions(page);
  await page.getByRole('button', { name: 'Connect system' }).click();

  // The client id and secret, once; copied to the clipboard with a confirmation.
  await expect(page.getByRole('alert')).toContainText('Ward EPR has been connected');
  await expect(h1).toContainText('Copy the client id and secret now');
  await expect(page).toHaveTitle('Copy the client id and secret now – Carethread');
  await expect(page.getByText('The secret will not be shown again')).toBeVisible();
  const clientId = (await page.locator('#client-id').textContent()) ?? '';
  const clientSecret = (await page.locator('#client-secret').textContent()) ?? '';
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
  expect(clientSecret.length).toBeGreaterThanOrEqual(40);
  expect(page.url()).not.toContain(clientSecret);
  // The confirmation goes to a status region that was on the page, empty, before it.
  await page
    .locator('[role="status"]')
    .evaluateAll((regions) => regions.forEach((r) => r.setAttribute('data-was-there', '')));
  const copied = page.locator('[role="status"][data-was-there]');
  await page.getByRole('button', { name: 'Copy client secret' }).click();
  await expect(copied.filter({ hasText: 'Client secret copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientSecret);
  await page.getByRole('button', { name: 'Copy client id' }).click();
  await expect(copied.filter({ hasText: 'Client id copied' })).toBeVisible();
  expect(await filledLiveRegions()).toEqual([]);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(clientId);
  const stored = await page.evaluate(() => [
    JSON.stringify(window.history.state),
    JSON.stringify({ ...window.localStorage }),
    JSON.stringify({ ...window.sessionStorage }),
  ]);
  for (const place of stored) expect(place).not.toContain(clientSecret);
  await expectAccessible(page);

  // Usable on a phone: nothing wider than the screen, not even the secret.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 720 });

  // The hospital's system uses them: a token, then Margaret Thompson's record by NHS number.
  const tokenResponse = await request.post('/oauth2/token', {
    headers: { Authorization: basic(clientId, clientSecret) },
    form: { grant_type: 'client_credentials' },
  });
  expect(tokenResponse.status()).toBe(200);
  const token = (await tokenResponse.json()) as { access_token: string; scope: string };
  expect(token.scope).toBe('system/Patient.read system/Communication.read system/Subscription.*');
  const search = await request.post('/fhir/R4/Patient/_search', {
    headers: { Authorization: `Bearer ${token.access_token}` },
    form: { identifier: `${NHS_NUMBER_SYSTEM}|${MARGARET_NHS_NUMBER}` },
  });
  expect(search.status()).toBe(200);
  const bundle = (await search.json()) as {
    resourceType: string;
    type: string;
    entry?: { resource: { resourceType: string; name: { family: string }[] } }[];
  };
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.type).toBe('searchset');
  expect(bundle.entry).toHaveLength(1);
  expect(bundle.entry?.[0]?.resource.resourceType).toBe('Patient');
  expect(bundle.entry?.[0]?.resource.name[0]?.family).toBe('Thompson');

  // It asks to be told of new messages at its own address (decision 0023)…
  const receiver = await startWebhookReceiver();
  const subscription = await request.post('/fhir/R4/Subscription', {
    headers: {
      Authorization: `Bearer ${token.access_token}`,
      'Content-Type': 'application/fhir+json',
    },
    data: JSON.stringify({
      resourceType: 'Subscription',
      reason: 'File new messages in the ward record',
      criteria: 'Communication',
      channel: { type: 'rest-hook', endpoint: receiver.url(), payload: 'application/fhir+json' },
    }),
  });
  expect(subscription.status()).toBe(201);
  // …and is told when Margaret writes to Cardiology Nurses: which message, not what it says.
  const margaret = await personPage(browser, PATIENT_P9);
  const words = `My ankles are swollen today (${Date.now()})`;
  await sendNewMessage(margaret, 'Cardiology Nurses', 'Swollen ankles', words);
  await margaret.context().close();
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
  const told = receiver.received.map((r) => r.body).join('\n');
  expect(told).not.toContain('ankles');
  const foci = [
    ...told.matchAll(/"fullUrl":"[^"]*\/fhir\/R4\/(Communication\/[0-9a-f-]{36})"/g),
  ].map((m) => m[1]);
  expect(foci.length).toBeGreaterThan(0);
  // The system reads what it was told of with its token, as any other (audited) read.
  const read = await Promise.all(
    foci.map(async (focus) => {
      const response = await request.get(`/fhir/R4/${focus}`, {
        headers: { Authorization: `Bearer ${token.access_token}` },
      });
      return response.text();
    }),
  );
  expect(read.some((body) => body.includes(words))).toBe(true);

  // Back on the list: connected, reading patient details only, told at the receiver's address.
  await page.getByRole('link', { name: 'Go to connected systems' }).click();
  await expect(h1).toContainText('Connected systems');
  const row = page.getByRole('row', { name: /Ward EPR/ });
  await expect(row).toContainText('Patient details');
  await expect(row).not.toContainText('Documents');
  await expect(row).toContainText('Connected');
  await expect(row).toContainText(`${new URL(receiver.url()).host} Working`);
  await expect(page.getByText(clientSecret)).toHaveCount(0);
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 720 });

  // Disconnect: a confirmation first, then the list says so and the secret no longer works.
  await row.getByRole('link', { name: 'Disconnect Ward EPR' }).click();
  await expect(h1).toContainText('Disconnect Ward EPR?');
  await expect(h1).toBeFocused();
  await expect(page).toHaveTitle('Disconnect Ward EPR – Carethread');
  await expect(page.getByText('You cannot undo this')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Yes, disconnect Ward EPR' }).click();
  await expect(h1).toContainText('Connected systems');
  await expect(page.getByRole('alert')).toContainText('Ward EPR has been disconnected');
  const disconnected = page.getByRole('row', { name: /Ward EPR/ });
  await expect(disconnected).toContainText('Disconnected on');
  await expect(disconnected.getByRole('link', { name: /Disconnect/ })).toHaveCount(0);
  await expectAccessible(page);

  const refused = await request.post('/oauth2/token', {
    headers: { Authorization: basic(clientId, clientSecret) },
    form: { grant_type: 'client_credentials' },
  });
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
  // The token it already had stops working at once too.
  const stale = await request.post('/fhir/R4/Patient/_search', {
    headers: { Authorization: `Bearer ${token.access_token}` },
    form: { identifier: `${NHS_NUMBER_SYSTEM}|${MARGARET_NHS_NUMBER}` },
  });
  expect(stale.status()).toBe(401);
  await receiver.close();

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});
