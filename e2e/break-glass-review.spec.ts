import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, PASSWORD, personPage } from './helpers';

const RECEPTION = 'dermatology.reception.member1@demo.carethread.test';
const PATIENT_NHS_NUMBER = '9990000018';
/** One more than the server's page of 50: the list must page to show them all. */
const USES = 51;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/**
 * One use of emergency access by the receptionist, made as she would make it: signed in, then
 * signed out again, so her next session needs (and may use) emergency access afresh.
 */
async function useEmergencyAccess(baseURL: string, detail: string): Promise<void> {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const signIn = await api.post('/api/v1/session', {
      data: { email: RECEPTION, password: PASSWORD },
    });
    expect(signIn.status()).toBe(200);
    const session = (await (await api.get('/api/v1/session')).json()) as { csrfToken: string };
    const headers = { 'X-CSRF-Token': session.csrfToken };
    const use = await api.post('/api/v1/break-glass', {
      headers,
      data: { nhsNumber: PATIENT_NHS_NUMBER, reason: 'emergency_care', detail },
    });
    expect(use.status(), await use.text()).toBe(201);
    expect((await api.delete('/api/v1/session', { headers })).status()).toBe(204);
  } finally {
    await api.dispose();
  }
}

test('the emergency access review list pages on with "Show more", focus moving to the first use it adds (C2, C4)', async ({
  browser,
  baseURL,
}) => {
  const suffix = Date.now().toString(36);
  // Oldest first, so use 1 is the last the newest-first list shows.
  for (let n = 1; n <= USES; n++) {
    await useEmergencyAccess(baseURL!, `Paging check ${suffix} number ${n}.`);
  }

  const coordinator = await personPage(browser, COORDINATOR);
  await coordinator
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Review emergency access' })
    .click();
  await expect(h1(coordinator)).toHaveText('Emergency access to review');
  const reviews = coordinator.getByRole('table');
  const rows = reviews.getByRole('row');
  const ours = rows.filter({ hasText: `Paging check ${suffix}` });
  // The first page: 50 uses, all waiting, the newest first; ours are the newest.
  await expect(rows).toHaveCount(51); // the headings and 50 uses
  await expect(ours.first()).toContainText(`number ${USES}.`);
  await expect(reviews).not.toContainText(`Paging check ${suffix} number 1.`);
  const more = coordinator.getByRole('button', { name: 'Show more emergency access' });
  await expect(more).toBeVisible();
  await expectAccessible(coordinator);

  await more.click();
  // The rest come below, each use once; keyboard and screen-reader users go on from the
  // first use added, not from the top.
  await expect(rows.nth(51)).toBeVisible();
  await expect(rows.nth(51).locator('[tabindex="-1"]')).toBeFocused();
  await expect(ours).toHaveCount(USES);
  await expect(ours.last()).toContainText(`${suffix} number 1.`);
  const details = await ours.allInnerTexts();
  expect(new Set(details).size).toBe(USES);
  await expectAccessible(coordinator);
});
