import { expect, test, type Page } from '@playwright/test';
import {
  advanceServerClock,
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
  writeNewMessage,
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
  // Not yet reviewed come first; each button says whose use, of whose record, and when
  // ("Today at 10:15" when run on its own, a date after the first journey has moved the clock).
  await coordinator
    .getByRole('button', { name: /^Mark reviewed for [^,]+, Margaret Thompson, (Today at )?\d/ })
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

test('a conversation with two teams: each team’s share form has its own period, and none shows before the shares in force are known (C2)', async ({
  browser,
}) => {
  const subject = `Two teams ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  // Hold her list of shares until the forms have had every chance to show without it.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await patient.route('**/api/v1/me/record-access-grants', async (route) => {
    await held;
    await route.continue();
  });
  await writeNewMessage(patient, 'Medical Records', subject, 'Please send my letters to PALS');
  await patient
    .getByRole('group', { name: 'Who do you want to send your message to?' })
    .getByRole('checkbox', { name: 'Central Appointments' })
    .check();
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);
  await expect(patient.getByRole('heading', { name: 'Sharing your record' })).toBeVisible();
  // No form yet: one shown now might offer a team a share it already has.
  await expect(patient.getByRole('button', { name: /^Share my record with/ })).toHaveCount(0);
  await expect(patient.getByLabel(/^How long may/)).toHaveCount(0);
  release();

  const records = patient.getByLabel('How long may Medical Records see your record?');
  const appointments = patient.getByLabel('How long may Central Appointments see your record?');
  await expect(records).toHaveValue('7');
  await expect(appointments).toHaveValue('7');
  expect(await records.getAttribute('id')).not.toBe(await appointments.getAttribute('id'));
  await records.selectOption('30');
  await expect(records).toHaveValue('30');
  await expect(appointments).toHaveValue('7');
  await appointments.selectOption('1');
  await expect(records).toHaveValue('30');
  await expectAccessible(patient);

  // Each team is given the period chosen for it.
  const shared = patient.waitForRequest(
    (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/record-access-grants'),
  );
  await patient.getByRole('button', { name: 'Share my record with Medical Records' }).click();
  expect((await shared).postDataJSON()).toMatchObject({ days: 30 });
  await expect(
    patient.getByRole('button', { name: 'Stop sharing with Medical Records' }),
  ).toBeVisible();
  await expect(appointments).toHaveValue('1');
  await patient.getByRole('button', { name: 'Stop sharing with Medical Records' }).click();
  await expect(records).toHaveValue('7');
});

test('"Who has seen my record": a later page with nothing on it says so, and leads back to the first (C4)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/access-log');
  await expect(patient.getByRole('table')).toBeVisible();
  // The server looks one entry ahead, so it never hands out a cursor to an empty page; a link
  // past the oldest entry (one altered by hand) leads to one. Such a link, in the form of
  // the cursors it hands out: the key of the last entry seen, here one before the first ever.
  const issued = await patient.request.get('/api/v1/me/access-log?limit=1');
  expect(issued.status()).toBe(200);
  const { nextCursor } = (await issued.json()) as { nextCursor: string | null };
  expect(nextCursor).not.toBeNull();
  const key = JSON.parse(Buffer.from(nextCursor ?? '', 'base64url').toString('utf8')) as unknown;
  expect(key).toEqual([expect.stringMatching(/^\d+$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  const [, patientId] = key as [string, string];
  const pastTheOldest = Buffer.from(JSON.stringify(['1', patientId])).toString('base64url');
  const later = await patient.request.get(`/api/v1/me/access-log?cursor=${pastTheOldest}`);
  expect(await later.json()).toEqual({ items: [], nextCursor: null });
  await patient.goto(`/access-log?cursor=${encodeURIComponent(pastTheOldest)}`);
  await expect(h1(patient)).toHaveText('Who has seen my record');
  await expect(patient.getByText('There is nothing more to show.')).toBeVisible();
  await expect(patient.getByText('No one has seen your record yet')).toHaveCount(0);
  await expectAccessible(patient);
  await patient.getByRole('link', { name: 'Go to the first page' }).click();
  await expect(patient).toHaveURL(/\/access-log$/);
  await expect(patient.getByRole('table')).toBeVisible();
});
