import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage, sendNewMessage } from './helpers';

const MANAGER = 'cardiology.nurses.manager@demo.carethread.test';
const NURSE = 'cardiology.nurses.member2@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const thread = (page: Page) => page.getByRole('list', { name: 'Messages, oldest first' });

async function openFromTeamInbox(page: Page, subject: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await expect(h1(page)).toContainText('Team inbox');
  await page
    .getByRole('row', { name: new RegExp(subject) })
    .getByRole('link', { name: subject })
    .click();
  await expect(h1(page)).toContainText(subject);
}

test('a manager of the team removes a patient’s message that carried someone else’s results (decision 0021)', async ({
  browser,
}) => {
  const subject = `Results ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'My neighbour’s blood results');

  // A member of the team is not offered it: it is not their message.
  const nurse = await personPage(browser, NURSE);
  await openFromTeamInbox(nurse, subject);
  await expect(thread(nurse)).toContainText('My neighbour’s blood results');
  await expect(nurse.getByRole('link', { name: /Sent in error\?/ })).toHaveCount(0);

  // The team's manager is, and sees whose message it is before removing it.
  const manager = await personPage(browser, MANAGER);
  await openFromTeamInbox(manager, subject);
  await manager
    .getByRole('link', { name: /Sent in error\? Remove the message Margaret Thompson wrote/ })
    .click();
  await expect(h1(manager)).toContainText('Remove a message sent in error');
  await expect(manager.getByText('Margaret Thompson wrote:')).toBeVisible();
  await expect(manager.getByText('My neighbour’s blood results')).toBeVisible();
  await expectAccessible(manager);
  await manager.getByLabel('Why was it sent in error?').fill('Another patient’s results');
  await manager.getByRole('button', { name: 'Remove the message' }).click();

  await expect(h1(manager)).toContainText(subject);
  await expect(thread(manager)).toContainText(
    'Helen Ward, Cardiology Nurses removed this message on',
  );
  await expect(thread(manager)).not.toContainText('neighbour’s blood results');
  await expectAccessible(manager);

  // The patient sees that it was removed, and by whom; its text is gone for her too.
  await patient.reload();
  await expect(thread(patient)).toContainText('Helen Ward, Cardiology Nurses removed this message');
  await expect(thread(patient)).not.toContainText('neighbour’s blood results');
});
