import { expect, test, type Page } from '@playwright/test';
import {
  advanceServerClock,
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
} from './helpers';

const PALS_MEMBER = 'pals.member1@demo.carethread.test';
/** A member of a team with no access to Margaret Thompson's record. */
const RECEPTION = 'dermatology.reception.member1@demo.carethread.test';
const PATIENT_NHS_NUMBER = '999 000 0018';
const DAY_MS = 24 * 60 * 60 * 1000;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

// Journeys after this file run on the real time again.
test.afterAll(async ({ request }) => {
  expect((await request.delete('/__test/clock')).status()).toBe(200);
});

test('the patient shares the record with PALS for 7 days; PALS opens it; 7 days later PALS sees only its own conversation (C2, C3)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const cardiology = `Heart tablets ${suffix}`;
  const complaint = `A complaint ${suffix}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', cardiology, 'About my tablets');
  await patient.goto('/');
  await sendNewMessage(patient, 'PALS', complaint, 'I was kept waiting');
  const complaintUrl = patient.url();

  // "Share my record with this team", 7 days unless chosen otherwise.
  await expect(patient.getByLabel('How long may PALS see your record?')).toHaveValue('7');
  await patient.getByRole('button', { name: 'Share my record with PALS' }).click();
  await expect(patient.getByText(/PALS can see your record until/).first()).toBeVisible();
  await expect(patient.getByRole('button', { name: 'Stop sharing with PALS' })).toBeVisible();
  await expectAccessible(patient);

  // A PALS member opens the record from the conversation and sees every conversation.
  const pals = await personPage(browser, PALS_MEMBER);
  await pals.goto(new URL(complaintUrl).pathname);
  await expect(h1(pals)).toContainText(complaint);
  await pals.getByRole('link', { name: 'Margaret Thompson' }).click();
  await expect(h1(pals)).toContainText('Margaret Thompson');
  await expect(pals.getByText('The patient has shared their record with your team')).toBeVisible();
  // The record also lists appointments and documents: pick the conversations table.
  const conversations = pals.getByRole('table', { name: /^Conversations in/ });
  await expect(conversations).toContainText(cardiology);
  await expect(conversations).toContainText(complaint);
  await expectAccessible(pals);
  const recordPath = new URL(pals.url()).pathname;

  // Seven days later the grant has ended by itself: PALS sees only its own conversation.
  await advanceServerClock(pals, 7 * DAY_MS + 60_000);
  await signIn(pals, PALS_MEMBER); // sessions end after 12 hours
  await pals.goto(recordPath);
  await expect(h1(pals)).toContainText('Margaret Thompson');
  await expect(pals.getByText(/only the conversations your team takes part in/)).toBeVisible();
  await expect(conversations).toContainText(complaint);
  await expect(conversations).not.toContainText(cardiology);
  await expectAccessible(pals);
});

test('a nurse finds a record her team looks after by its NHS number (C2)', async ({ browser }) => {
  const nurse = await personPage(browser, 'cardiology.nurses.member1@demo.carethread.test');
  await nurse
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Find a patient' })
    .click();
  await expectAccessible(nurse);
  await nurse.getByRole('button', { name: 'Find the record' }).click();
  await expect(nurse.locator('.nhsuk-error-summary')).toContainText(
    'Enter the patient’s NHS number',
  );
  await nurse.getByLabel('NHS number').fill(PATIENT_NHS_NUMBER);
  await nurse.getByRole('button', { name: 'Find the record' }).click();
  await expect(h1(nurse)).toContainText('Margaret Thompson');
  // The number never went into an address.
  expect(nurse.url()).not.toContain('9990000018');
  await expectAccessible(nurse);
});

test('break-glass: emergency access with a reason, reviewed by the coordinator, shown to the patient (C2, C4)', async ({
  browser,
}) => {
  const staff = await personPage(browser, RECEPTION);
  // Finding her record by NHS number fails: Dermatology Reception does not look after her.
  await staff
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Find a patient' })
    .click();
  await expect(h1(staff)).toHaveText('Find a patient');
  await staff.getByLabel('NHS number').fill(PATIENT_NHS_NUMBER);
  await staff.getByRole('button', { name: 'Find the record' }).click();
  await expect(staff.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(staff.locator('.nhsuk-error-summary')).toContainText(
    'No record with this NHS number is looked after by your teams',
  );
  await expectAccessible(staff);
  // From there to emergency access, the number carried over.
  await staff.getByRole('main').getByRole('link', { name: 'emergency access' }).click();
  await expect(h1(staff)).toHaveText('Emergency access to a record');
  await expect(staff.getByLabel('Patient’s NHS number')).toHaveValue(PATIENT_NHS_NUMBER);
  await expectAccessible(staff);
  await staff.getByRole('button', { name: 'Open the record' }).click();
  await expect(staff.locator('.nhsuk-error-summary')).toBeFocused();
  await expectAccessible(staff);
  await staff.getByLabel('Patient’s NHS number').fill(PATIENT_NHS_NUMBER);
  await staff.getByRole('radio', { name: /Emergency care/ }).check();
  await staff.getByLabel('In your own words').fill('Arrived at reception unwell; need her history');
  await staff.getByRole('button', { name: 'Open the record' }).click();
  await expect(h1(staff)).toContainText('Margaret Thompson');
  await expect(staff.getByText(/You are using emergency access until/)).toBeVisible();
  await expectAccessible(staff);

  const coordinator = await personPage(browser, COORDINATOR);
  await coordinator
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Review emergency access' })
    .click();
  await expect(h1(coordinator)).toHaveText('Emergency access to review');
  const reviews = coordinator.getByRole('table');
  await expect(reviews).toContainText('Arrived at reception unwell');
  await expectAccessible(coordinator);
  // Not yet reviewed come first; each button says whose use, of whose record, and when.
  await coordinator
    .getByRole('button', { name: /^Mark reviewed for [^,]+, Margaret Thompson, \d/ })
    .first()
    .click();
  await expect(coordinator.getByText('Marked as reviewed')).toBeVisible();

  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/access-log');
  await expect(patient.getByRole('table')).toContainText('Used emergency access to your record');
  await expect(patient.getByRole('table')).toContainText(
    'Emergency access (break-glass): emergency care',
  );
  await expectAccessible(patient);
});
