import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage, sendNewMessage } from './helpers';

const NURSE_A = 'cardiology.nurses.member1@demo.carethread.test';
const NURSE_B = 'cardiology.nurses.member2@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const inboxViews = (page: Page) => page.getByRole('navigation', { name: 'Inbox views' });

async function openInboxView(page: Page, view: RegExp): Promise<void> {
  await page.goto('/inbox');
  await expect(h1(page)).toContainText('Cardiology Nurses');
  await inboxViews(page).getByRole('link', { name: view }).click();
  await expect(inboxViews(page).getByRole('link', { name: view })).toHaveAttribute(
    'aria-current',
    'page',
  );
}

test('a conversation archived by mistake is reopened into Unassigned for the whole team (decision 0024)', async ({
  browser,
}) => {
  const subject = `Repeat prescription ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'I have run out of my tablets.');

  const nurseA = await personPage(browser, NURSE_A);
  await nurseA.goto(patient.url());
  await expect(h1(nurseA)).toContainText(subject);
  await nurseA.getByRole('button', { name: 'Archive' }).click();
  await expect(nurseA.getByRole('alert')).toContainText('has been archived for Cardiology Nurses');

  // Found again under Archived: the thread offers Reopen instead of Archive or Assign to me.
  await openInboxView(nurseA, /^Archived/);
  await nurseA
    .getByRole('row', { name: new RegExp(subject) })
    .getByRole('link', { name: subject })
    .click();
  await expect(h1(nurseA)).toContainText(subject);
  await expect(nurseA.getByText('Archived', { exact: true })).toBeVisible();
  await expect(nurseA.getByRole('button', { name: 'Archive' })).toHaveCount(0);
  await expect(nurseA.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  await expectAccessible(nurseA);

  await nurseA.getByRole('button', { name: 'Reopen' }).click();
  const reopened = nurseA.getByRole('alert');
  await expect(reopened).toContainText('back in Unassigned for Cardiology Nurses');
  await expect(reopened).toBeFocused();
  await expect(nurseA.getByText('Not assigned')).toBeVisible();
  await expect(nurseA.getByRole('button', { name: 'Reopen' })).toHaveCount(0);
  await expect(nurseA.getByRole('button', { name: 'Assign to me' })).toBeVisible();
  await expectAccessible(nurseA);

  // Every nurse sees it waiting in Unassigned again.
  const nurseB = await personPage(browser, NURSE_B);
  await openInboxView(nurseB, /^Unassigned/);
  const row = nurseB.getByRole('row', { name: new RegExp(subject) });
  await expect(row).toContainText('Not assigned');
  await expect(row).toContainText(/Waiting (less than a minute|\d+ minutes?)/);
});
