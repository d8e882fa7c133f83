import { expect, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, personPage, signIn, watchPolicy } from './helpers';

// A coordinator sets up their organisation's staff single sign-on in the app, not with SQL
// (DESIGN C5: the coordinator "configures the organisation"; decision 0025).

const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

// The demo organisation is left as it was found, however the journey ends: no Entra ID.
test.afterEach(async ({ browser }) => {
  const page = await personPage(browser, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const organisationId = session.user.coordinatorOf[0]!.id;
  const removed = await page.request.delete(
    `/api/v1/organisations/${organisationId}/sign-in-providers/entra`,
    { headers: { 'X-CSRF-Token': session.csrfToken } },
  );
  // 204 if a failed step left it there, 404 if the journey removed it.
  expect([204, 404]).toContain(removed.status());
  await page.context().close();
});

test('a coordinator sets up Microsoft Entra ID for their staff, then removes it', async ({
  page,
}) => {
  const policy = watchPolicy(page);
  const h1 = page.getByRole('heading', { level: 1 });
  const summary = page.locator('.nhsuk-error-summary');

  // Teams → Staff single sign-on: the demo's CIS2 is on, Entra ID is not set up.
  await signIn(page, COORDINATOR);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Staff single sign-on' }).click();
  await expect(h1).toContainText('Staff single sign-on');
  await expect(h1).toBeFocused();
  await expect(page).toHaveTitle('Staff single sign-on – Carethread');
  const origin = new URL(page.url()).origin;
  await expect(page.locator('#redirect-uri')).toHaveText(`${origin}/api/v1/oidc/staff/callback`);
  const cis2 = page.getByRole('region', { name: 'NHS CIS2 Authentication' });
  await expect(cis2).toContainText('On');
  await expect(cis2).toContainText('ODS code');
  const entra = page.getByRole('region', { name: 'Microsoft Entra ID' });
  await expect(entra).toContainText('Not set up');
  await expectAccessible(page);

  // The issuer is chosen among those the server trusts: in demo mode, the demo provider.
  await entra.getByRole('link', { name: 'Set up Microsoft Entra ID' }).click();
  await expect(h1).toContainText('Set up Microsoft Entra ID');
  await expect(page).toHaveTitle('Set up Microsoft Entra ID – Carethread');
  const issuer = `${origin}/demo-idp/cis2`;
  await expect(page.getByLabel('Issuer')).toHaveValue(issuer);
  await expect(page.getByLabel('Issuer').locator('option')).toHaveText([issuer]);
  await expect(page.getByLabel('Key', { exact: true })).toHaveValue('DEMO');
  await expectAccessible(page);

  // A tenant id that is not one: the server refuses it, against the field.
  const tenantProblem = 'Each tenant id must look like 00000000-0000-0000-0000-000000000000';
  await page.getByLabel('Client id').fill('carethread-entra');
  await page.getByLabel('Tenant ids').fill('contoso');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(tenantProblem);
  await expect(page.locator('#tenantAllowlist-error')).toContainText(tenantProblem);
  await expect(page).toHaveTitle('Error: Set up Microsoft Entra ID – Carethread');
  await expectAccessible(page);
  await summary.getByRole('link', { name: tenantProblem }).click();
  await expect(page.getByLabel('Tenant ids')).toBeFocused();

  // Fixed and saved: listed with its settings, and a banner says so.
  await page.getByLabel('Tenant ids').fill(TENANT);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(h1).toContainText('Staff single sign-on');
  await expect(page.getByRole('alert')).toContainText('Microsoft Entra ID has been saved');
  await expect(entra).toContainText('On');
  await expect(entra).toContainText(issuer);
  await expect(entra).toContainText('carethread-entra');
  await expect(entra).toContainText(TENANT);
  await expect(entra).not.toContainText('No longer trusted');
  await expectAccessible(page);

  // Removed after a confirmation: not set up again.
  await entra.getByRole('link', { name: 'Remove Microsoft Entra ID' }).click();
  await expect(h1).toContainText('Remove Microsoft Entra ID?');
  await expect(h1).toBeFocused();
  await expect(page).toHaveTitle('Remove Microsoft Entra ID – Carethread');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Yes, remove Microsoft Entra ID' }).click();
  await expect(h1).toContainText('Staff single sign-on');
  await expect(page.getByRole('alert')).toContainText('Microsoft Entra ID has been removed');
  await expect(entra).toContainText('Not set up');
  await expect(cis2).toContainText('On');
  await expectAccessible(page);

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});
