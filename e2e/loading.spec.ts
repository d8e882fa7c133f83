import { expect, test } from '@playwright/test';
import { PATIENT_P9, signIn, watchFilledLiveRegions } from './helpers';

// A screen reader user who opens a page that is slow to load hears that it is loading: the
// words go into a status region that was already on the page, so they are read out.

test('a slow page says it is loading through a region that was there first', async ({ page }) => {
  await signIn(page, PATIENT_P9);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your messages');
  const filledLiveRegions = await watchFilledLiveRegions(page);
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/v1/patients/*/appointments*', async (route) => {
    await held;
    await route.continue();
  });

  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Appointments' })
    .click();
  const loading = page.getByRole('status').filter({ hasText: 'Loading appointments…' });
  await expect(loading).toHaveCount(1);
  release();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your appointments');
  await expect(loading).toHaveCount(0);
  expect(await filledLiveRegions()).toEqual([]);
});
