import { expect, test, type Page } from '@playwright/test';
import { runClockUntilSignIn, advanceServerClock, expectAccessible, personPage } from './helpers';

/**
 * Sessions end after 30 minutes without activity (the server's clock decides). WCAG 2.2.1:
 * people are warned before, and can stay signed in with one action.
 */

const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const MINUTE = 60_000;

// Journeys after this file run on the real time again.
test.afterAll(async ({ request }) => {
  expect((await request.delete('/__test/clock')).status()).toBe(200);
});

/**
 * Moves the page's clock on to its next check of the session and waits for the answer, so
 * that checks never overlap (the page skips one while another is on its way).
 */
async function nextCheck(page: Page): Promise<void> {
  const answered = expiryAnswer(page);
  await page.clock.runFor(30_000);
  await answered;
}

/** The page's next answer from getSessionExpiry. */
const expiryAnswer = (page: Page) =>
  page.waitForResponse((r) => r.url().endsWith('/api/v1/session/expiry'));

/** Minutes the server says are left before the session ends for inactivity. */
async function minutesLeft(page: Page): Promise<number> {
  const expiry = (await (await page.request.get('/api/v1/session/expiry')).json()) as {
    now: string;
    idleExpiresAt: string;
  };
  return (Date.parse(expiry.idleExpiresAt) - Date.parse(expiry.now)) / MINUTE;
}

test('warned two minutes before an idle session ends; staying signed in, typing, and being signed out (WCAG 2.2.1)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE);
  await nurse.clock.install();
  const mounted = expiryAnswer(nurse);
  await nurse.reload();
  await mounted;
  const warning = nurse.getByRole('dialog', { name: 'You’ll be signed out soon' });
  await expect(nurse.getByRole('heading', { level: 1 })).toContainText('Home');
  await expect(warning).toBeHidden();

  // 28½ idle minutes: the next check shows the warning, its first button focused.
  await advanceServerClock(nurse, 28.5 * MINUTE);
  await nextCheck(nurse);
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('we’ll sign you out in 1 minute');
  await expect(warning.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await expectAccessible(nurse);

  const stayed = expiryAnswer(nurse);
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await stayed;
  await expect(warning).toBeHidden();
  expect(await minutesLeft(nurse)).toBeGreaterThan(29);

  // Someone typing is not idle: the page tells the server, at most every 5 minutes.
  await advanceServerClock(nurse, 20 * MINUTE);
  for (let typed = 0; typed < 11; typed += 1) {
    await nurse.keyboard.press('Shift');
    await nextCheck(nurse);
  }
  await expect.poll(() => minutesLeft(nurse)).toBeGreaterThan(29);
  await expect(warning).toBeHidden();

  // Nobody there: at the end the page goes to sign in and says why. Both clocks move on half
  // an hour, as they would together in life (no check of the page's is on its way: each was
  // waited for).
  await advanceServerClock(nurse, 31 * MINUTE);
  await nurse.clock.fastForward(31 * MINUTE);
  await runClockUntilSignIn(nurse);
  await expect(nurse.getByRole('heading', { level: 1 })).toHaveText(/Sign in/);
  await expect(
    nurse.getByText(/We signed you out because you had not used Carethread for 30 minutes/),
  ).toBeVisible();
  await expectAccessible(nurse);
});
