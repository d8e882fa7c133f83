import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, PATIENT_P9, personPage, sendNewMessage } from './helpers';

const NURSE = 'cardiology.nurses.member1@demo.carethread.test';

/** This week's figure in the statistics page's "Messages per week" table. */
async function messagesThisWeek(page: Page): Promise<number> {
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Statistics' }).click();
  await page.getByText('Show these figures as a table').click();
  const table = page.getByRole('table', { name: /conversations per week/ });
  const lastRow = table.getByRole('row').last();
  await expect(lastRow).toBeVisible();
  return Number((await lastRow.getByRole('cell').last().innerText()).trim());
}

test('messages per week count each message once, however many teams take part', async ({
  browser,
}) => {
  const coordinator = await personPage(browser, COORDINATOR);
  const patient = await personPage(browser, PATIENT_P9);
  const subject = `Palpitations ${Date.now().toString(36)}`;
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'My heart races at night.');

  // The nurse escalates to the consultants (second line), then replies: one message that
  // both teams' conversations hold.
  const nurse = await personPage(browser, NURSE);
  await nurse.goto(patient.url());
  await nurse.getByRole('link', { name: 'Add people' }).click();
  await nurse
    .getByRole('row', { name: /Cardiology Consultants/ })
    .first()
    .getByRole('button', { name: 'Add Cardiology Consultants' })
    .click();
  await nurse.getByRole('button', { name: 'Yes, add Cardiology Consultants' }).click();
  await expect(nurse.getByRole('alert')).toContainText('added to the conversation');
  const before = await messagesThisWeek(coordinator);

  await nurse.getByLabel('Your reply').fill('A consultant will look at your ECG.');
  await nurse.getByRole('button', { name: 'Send reply' }).click();
  await expect(
    nurse.getByRole('alert').filter({ hasText: 'Your reply has been sent' }),
  ).toBeVisible();

  expect(await messagesThisWeek(coordinator)).toBe(before + 1);
});
