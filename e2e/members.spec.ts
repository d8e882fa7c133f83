import { expect, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, signIn, watchFilledLiveRegions } from './helpers';

test('coordinator changes a role and removes a member after confirming', async ({ page }) => {
  const h1 = page.getByRole('heading', { level: 1 });
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Medical Records' }).click();
  await page.getByRole('link', { name: /members of Medical Records/ }).click();
  await expect(h1).toHaveText(/Team members/);

  // Change a role.
  const ben = page.getByRole('row', { name: /Ben Carter/ });
  await ben.getByLabel('Role of Ben Carter').selectOption('manager');
  await ben.getByRole('button', { name: 'Save changes to Ben Carter' }).click();
  await expect(page.getByRole('alert')).toContainText('Changes to Ben Carter have been saved');
  await page.reload();
  await expect(
    page.getByRole('row', { name: /Ben Carter/ }).getByLabel('Role of Ben Carter'),
  ).toHaveValue('manager');

  // Remove, backing out once first.
  await page.getByRole('link', { name: 'Remove Fatima Begum from the team' }).click();
  await expect(h1).toHaveText(/Are you sure you want to remove Fatima Begum/);
  await expect(h1).toBeFocused();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'No, keep them in the team' }).click();
  await expect(page.getByRole('row', { name: /Fatima Begum/ })).toBeVisible();
  await page.getByRole('link', { name: 'Remove Fatima Begum from the team' }).click();
  await page.getByRole('button', { name: 'Yes, remove Fatima Begum' }).click();
  await expect(h1).toHaveText(/Team members/);
  await expect(page.getByRole('alert')).toContainText('Fatima Begum has been removed');
  await expect(page.getByRole('row', { name: /Fatima Begum/ })).toHaveCount(0);
  await expectAccessible(page);

  // Add an existing professional by searching. Focus stays on Search: a status region that
  // was already on the page says what was found.
  await page
    .locator('[role="status"]')
    .evaluateAll((regions) => regions.forEach((r) => r.setAttribute('data-was-there', '')));
  const found = page.locator('[role="status"][data-was-there]');
  // And no region turns up with its words already in it (a "Loading…" did, unannounced).
  const filledLiveRegions = await watchFilledLiveRegions(page);
  await page.getByLabel('Name or email address').fill('nobody-by-this-name');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(found.filter({ hasText: 'No one matches “nobody-by-this-name”.' })).toHaveCount(1);
  await page.getByLabel('Name or email address').fill('Fatima');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(found.filter({ hasText: /^1 person found$/ })).toHaveCount(1);
  expect(await filledLiveRegions()).toEqual([]);
  await page.getByRole('button', { name: 'Add Fatima Begum to team' }).click();
  await expect(page.getByRole('alert')).toContainText('Fatima Begum has been added');
  await expect(page.getByRole('row', { name: /Fatima Begum/ }).first()).toBeVisible();
  await expectAccessible(page);
});

test('edit controls follow the actions the server allows', async ({ page }) => {
  await signIn(page, 'pals.manager@demo.carethread.test');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Home');
  // Not a coordinator: the menu has no Teams link.
  await expect(
    page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }),
  ).toHaveCount(0);
  await page.getByRole('link', { name: 'PALS', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('PALS');
  const teamId = new URL(page.url()).pathname.split('/')[2] ?? '';
  const response = await page.request.get(`/api/v1/teams/${teamId}`);
  const { actions } = (await response.json()) as {
    actions: { update: boolean; manageMembers: boolean; setEscalationPathway: boolean };
  };
  await expect(page.getByRole('heading', { name: 'Change team details' })).toHaveCount(
    actions.update ? 1 : 0,
  );
  await expectAccessible(page);
  await page.getByRole('link', { name: /members of PALS/ }).click();
  await expect(page.getByRole('link', { name: 'Create a new professional' })).toHaveCount(
    actions.manageMembers ? 1 : 0,
  );
  await expectAccessible(page);
  await page.goBack();
  await page.getByRole('link', { name: /escalation pathway/ }).click();
  await expect(page.getByRole('button', { name: 'Save escalation pathway' })).toHaveCount(
    actions.setEscalationPathway ? 1 : 0,
  );
  await expectAccessible(page);

  // Team configuration pages are for coordinators only.
  await page.goto('/teams/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
