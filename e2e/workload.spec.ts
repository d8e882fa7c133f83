import { expect, test, type Page } from '@playwright/test';
import {
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
  watchPolicy,
} from './helpers';

const MANAGER = 'cardiology.nurses.manager@demo.carethread.test';
const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const NURSE_NAME = 'Olu Adeyemi';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a manager sees who is helping whom once a member assigns a new conversation', async ({
  browser,
}) => {
  const subject = `Repeat prescription ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(
    patient,
    'Cardiology Nurses',
    subject,
    'Could I have my repeat prescription, please?',
  );

  const nurse = await personPage(browser, NURSE);
  await nurse
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  // Members who do not manage the team are not offered the workload view.
  await expect(nurse.getByRole('link', { name: 'Who is helping whom' })).toHaveCount(0);
  await nurse.getByRole('link', { name: subject }).click();
  await nurse.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurse.getByRole('alert')).toContainText('assigned to you');

  const manager = await personPage(browser, MANAGER);
  const policy = watchPolicy(manager);
  await manager
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await manager.getByRole('link', { name: 'Who is helping whom' }).click();
  await expect(h1(manager)).toContainText('Who is helping whom');
  await expect(h1(manager)).toContainText('Cardiology Nurses');
  const nurseSection = manager.getByRole('region', { name: new RegExp(NURSE_NAME) });
  const row = nurseSection.getByRole('row', { name: new RegExp(subject) });
  await expect(row).toContainText('Margaret Thompson');
  await expect(row.getByRole('link', { name: subject })).toBeVisible();
  await expect(manager.getByRole('table', { name: /Median times/ })).toContainText('Last 7 days');
  // The chart is drawn, and its figures are also there as a table.
  await expect(manager.locator('.app-chart svg').first()).toBeVisible();
  await manager.getByText('Show these figures as a table').click();
  await expect(
    manager.getByRole('table', { name: /Conversations completed per day/ }),
  ).toBeVisible();
  await expectAccessible(manager);
  expect(policy.csp, 'no Content-Security-Policy violations').toEqual([]);
});

test('a coordinator reads the organisation’s statistics and downloads them as CSV', async ({
  page,
}) => {
  const policy = watchPolicy(page);
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Statistics' }).click();
  await expect(h1(page)).toContainText('Statistics');
  await expect(page.getByText(/\d+ registered, of whom \d+ have verified/)).toBeVisible();
  await expect(page.getByRole('table', { name: /by team/ })).toContainText('Cardiology Nurses');
  await expectAccessible(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download these statistics (CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^carethread-statistics-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(policy.csp).toEqual([]);
});
