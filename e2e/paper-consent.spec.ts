import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, openRecord, personPage } from './helpers';

// Margaret Thompson: looked after by the demo's Cardiology Nurses. David Jones is a P9 patient
// who becomes her carer from a paper form she signed.
const NHS_NUMBER = '9990000018';
const PATIENT = 'Margaret Thompson';
const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const CARER_EMAIL = 'david.jones@demo.carethread.test';
const CARER = 'David Jones';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('staff record a carer’s consent from a paper form, the carer accepts the code, and staff record the patient’s request to end it (C1, C4)', async ({
  browser,
}) => {
  const nextYear = new Date().getFullYear() + 1;
  const nurse = await personPage(browser, NURSE);
  const recordUrl = await openRecord(nurse, NHS_NUMBER, PATIENT);
  const carers = nurse.getByRole('region', { name: 'Carers', exact: true });
  await expect(carers.getByRole('heading', { name: 'Carers', exact: true })).toBeVisible();
  await expect(carers.getByRole('row', { name: new RegExp(CARER) })).toHaveCount(0);
  await expectAccessible(nurse);

  // The form: bad input is explained, field by field, and records nothing.
  await carers.getByRole('link', { name: 'Record consent from a paper form' }).click();
  await expect(h1(nurse)).toContainText('Record consent from a paper form');
  await expect(h1(nurse)).toBeFocused();
  await expect(nurse).toHaveTitle('Record consent from a paper form – Carethread');
  await expectAccessible(nurse);
  await nurse.getByLabel('Carer’s email address').fill('not-an-email');
  const lastDay = nurse.getByRole('group', { name: /Last day of access/ });
  await lastDay.getByLabel('Day').fill('1');
  await lastDay.getByLabel('Month').fill('1');
  await lastDay.getByLabel('Year').fill('2020');
  await nurse.getByLabel(`Who witnessed ${PATIENT} sign the form?`).fill('   ');
  await nurse.getByRole('button', { name: 'Record consent' }).click();
  const summary = nurse.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(nurse).toHaveTitle('Error: Record consent from a paper form – Carethread');
  for (const message of [
    'Enter an email address in the correct format, like name@example.com',
    'Choose what the carer may do',
    'The last day must be today or in the future',
    `Enter who witnessed ${PATIENT} sign the form`,
  ]) {
    await expect(summary.getByRole('link', { name: message })).toBeVisible();
    await expect(nurse.locator('.nhsuk-error-message', { hasText: message })).toBeVisible();
  }
  await expectAccessible(nurse);

  await nurse.getByLabel('Carer’s email address').fill(CARER_EMAIL);
  await nurse.getByLabel('View and send messages').check();
  await lastDay.getByLabel('Day').fill('31');
  await lastDay.getByLabel('Month').fill('12');
  await lastDay.getByLabel('Year').fill(String(nextYear));
  await nurse.getByLabel(`Who witnessed ${PATIENT} sign the form?`).fill('Sister Jones, ward 7');
  await nurse.getByRole('button', { name: 'Record consent' }).click();

  // The code, once, with what to do with it; never in the address.
  await expect(h1(nurse)).toContainText('Give the carer this code');
  await expect(h1(nurse)).toBeFocused();
  await expect(nurse).toHaveTitle('Give the carer this code – Carethread');
  const code = (await nurse.getByTestId('invitation-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(nurse.url()).not.toContain(code);
  await expect(nurse.getByText('The code works once, for 14 days.')).toBeVisible();
  await expect(nurse.getByText(/with their own NHS login/)).toBeVisible();
  await expectAccessible(nurse);
  await nurse.getByRole('link', { name: `Back to ${PATIENT}’s record` }).click();
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(
    nurse
      .getByRole('region', { name: 'Carer invitations from paper forms' })
      .getByRole('row', { name: new RegExp(CARER_EMAIL) }),
  ).toContainText('View and send messages');

  // The carer accepts with their own account.
  const carer = await personPage(browser, CARER_EMAIL);
  await carer.getByRole('link', { name: 'Accept a carer invitation' }).click();
  await carer.getByLabel('Invitation code').fill(code);
  await carer.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(h1(carer)).toContainText(`${PATIENT}’s messages`);
  const caredForUrl = carer.url();

  // Staff now see them among Margaret's carers, with what they may do and until when.
  await nurse.goto(recordUrl);
  const row = carers.getByRole('row', { name: new RegExp(CARER) });
  await expect(row).toContainText('View and send messages');
  await expect(row).toContainText(`The end of 31 December ${nextYear}`);
  await expect(row).not.toContainText(CARER_EMAIL);
  await expectAccessible(nurse);

  // Ending it needs the witness's name; the warning says what happens.
  await row
    .getByRole('link', { name: `Record that the patient wants this to end (${CARER})` })
    .click();
  await expect(h1(nurse)).toContainText(`Record that ${PATIENT} wants ${CARER}’s access to end`);
  await expect(h1(nurse)).toBeFocused();
  await expect(nurse.getByText(`${CARER} will lose access at once`)).toBeVisible();
  await expectAccessible(nurse);
  await nurse.getByRole('button', { name: `End ${CARER}’s access` }).click();
  await expect(summary).toBeFocused();
  const witnessMissing = `Enter who witnessed ${PATIENT} ask to end this carer’s access`;
  await expect(summary.getByRole('link', { name: witnessMissing })).toBeVisible();
  await expect(nurse.locator('.nhsuk-error-message', { hasText: witnessMissing })).toBeVisible();
  await expect(nurse).toHaveTitle(`Error: End ${CARER}’s access – Carethread`);
  await expectAccessible(nurse);

  await nurse.getByLabel(`Who witnessed ${PATIENT} ask for this?`).fill('Sister Jones, ward 7');
  await nurse.getByRole('button', { name: `End ${CARER}’s access` }).click();
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(nurse.getByRole('alert')).toContainText(
    `${CARER} can no longer see ${PATIENT}’s messages`,
  );
  await expect(carers.getByRole('row', { name: new RegExp(CARER) })).toHaveCount(0);
  await expectAccessible(nurse);
  await nurse.context().close();

  // The carer's very next request finds no access, and is told so in plain words.
  await carer.goto(caredForUrl);
  await expect(h1(carer)).toHaveText('You cannot see these messages');
  await expectAccessible(carer);
  await carer.context().close();
});
