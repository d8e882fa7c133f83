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

const NURSE_B = 'cardiology.nurses.member2@demo.carethread.test';
/** Everyone in Cardiology Nurses (demo seed): one manager and two members. */
const CARDIOLOGY_NURSES = [
  'cardiology.nurses.manager@demo.carethread.test',
  'cardiology.nurses.member1@demo.carethread.test',
  NURSE_B,
];
const PATIENT_NAME = 'Margaret Thompson';
const PATIENT_NHS_NUMBER = /999\s?000\s?0018/;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const unassignedLink = (page: Page) =>
  page
    .getByRole('navigation', { name: 'Inbox views' })
    .getByRole('link', { name: /^Unassigned \(\d+\)$/ });

async function unassignedCount(page: Page): Promise<number> {
  const text = (await unassignedLink(page).textContent()) ?? '';
  const match = /\((\d+)\)/.exec(text);
  if (!match) throw new Error(`No count in "${text}"`);
  return Number(match[1]);
}

interface CapturedEmail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
}

/** The development mailbox as the API has it, read with the page's own session. */
async function mailbox(page: Page): Promise<CapturedEmail[]> {
  const response = await page.request.get('/api/v1/dev/mailbox?limit=200');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: CapturedEmail[] }).items;
}

/** Empties the development mailbox through the API, with the page's session and CSRF token. */
async function clearMailbox(page: Page): Promise<void> {
  const session = await page.request.get('/api/v1/session');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const response = await page.request.delete('/api/v1/dev/mailbox', {
    headers: { 'X-CSRF-Token': csrfToken },
  });
  expect(response.status()).toBe(204);
}

test('nurse B sees a patient’s new message arrive without reloading, and each nurse gets one content-free email', async ({
  browser,
}) => {
  const canary = Date.now().toString(36);
  const subject = `Canary subject ${canary}`;
  const body = `Canary body ${canary}: my ankles are swollen`;

  // Nurse B has the Unassigned view of Cardiology Nurses open.
  const nurseB = await personPage(browser, NURSE_B);
  const policy = watchPolicy(nurseB);

  // The mailbox is shared by the whole run: start this journey with it empty.
  await clearMailbox(nurseB);

  await nurseB
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await expect(h1(nurseB)).toContainText('Cardiology Nurses');
  await expect(unassignedLink(nurseB)).toHaveAttribute('aria-current', 'page');
  const before = await unassignedCount(nurseB);
  await expect(nurseB.getByRole('row', { name: new RegExp(subject) })).toHaveCount(0);
  const inboxUrl = nurseB.url();
  // Any later navigation (a reload included) would be a new document: mark this one.
  await nurseB.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });

  // The patient writes to Cardiology Nurses in another browser.
  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await patient
    .getByRole('group', { name: 'Who do you want to send your message to?' })
    .getByRole('checkbox', { name: 'Cardiology Nurses' })
    .check();
  await patient.getByLabel('Subject').fill(subject);
  await patient.getByLabel('Your message').fill(body);
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);

  // Without a reload, nurse B's count goes up and the row appears.
  await expect(unassignedLink(nurseB)).toHaveText(`Unassigned (${before + 1})`, {
    timeout: 5_000,
  });
  const row = nurseB.getByRole('row', { name: new RegExp(subject) });
  await expect(row).toBeVisible({ timeout: 5_000 });
  await expect(row).toContainText(PATIENT_NAME);
  await expect(row).toContainText('Not assigned');
  expect(nurseB.url()).toBe(inboxUrl);
  expect(
    await nurseB.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);
  // Screen reader users hear, politely, that something arrived.
  await expect(nurseB.getByRole('status').filter({ hasText: 'New activity' })).toHaveText(
    'New activity in your inbox',
  );
  await expectAccessible(nurseB);

  // One email per Cardiology Nurses member — nobody else, nothing twice (N1).
  await expect
    .poll(async () => (await mailbox(nurseB)).map((e) => e.to).sort(), { timeout: 15_000 })
    .toEqual([...CARDIOLOGY_NURSES].sort());
  // Late duplicates would show up now, not never.
  await nurseB.waitForTimeout(1_500);
  const emails = await mailbox(nurseB);
  expect(emails.map((e) => e.to).sort()).toEqual([...CARDIOLOGY_NURSES].sort());
  // No clinical content (N2): not the subject, the body, the patient's name or NHS number.
  for (const email of emails) {
    const everything = `${email.subject}\n${email.text}\n${email.html ?? ''}`;
    expect(everything).not.toContain(canary);
    expect(everything).not.toContain('Canary');
    expect(everything).not.toContain('swollen');
    expect(everything).not.toContain(PATIENT_NAME);
    expect(everything).not.toContain('Thompson');
    expect(everything).not.toMatch(PATIENT_NHS_NUMBER);
    expect(email.text).toContain('You have a new secure message from Cardiology Nurses');
  }

  // The mailbox page, linked from the footer in demo mode, shows them as plain text.
  await nurseB.getByRole('contentinfo').getByRole('link', { name: 'Development mailbox' }).click();
  await expect(h1(nurseB)).toHaveText('Development mailbox');
  await expect(h1(nurseB)).toBeFocused();
  await expect(nurseB).toHaveTitle('Development mailbox – Carethread');
  const list = nurseB.getByRole('list', { name: 'Emails, newest first' });
  await expect(list.getByRole('listitem')).toHaveCount(CARDIOLOGY_NURSES.length);
  for (const address of CARDIOLOGY_NURSES) {
    await expect(list.locator('.app-email__to', { hasText: address })).toHaveCount(1);
  }
  await expect(list.locator('pre.app-email__body').first()).toContainText(
    'You have a new secure message from Cardiology Nurses',
  );
  await expect(nurseB.locator('main')).not.toContainText(canary);
  await expect(nurseB.locator('main')).not.toContainText(PATIENT_NAME);
  await expectAccessible(nurseB);

  // Filtering by recipient shows only that person's email.
  await nurseB.getByLabel('Only emails to').fill(NURSE_B);
  await nurseB.getByRole('button', { name: 'Filter' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText(NURSE_B);
  await expectAccessible(nurseB);

  // Clearing asks first, then empties the mailbox.
  await nurseB.getByRole('link', { name: 'Clear mailbox' }).click();
  await expect(h1(nurseB)).toContainText(
    'Are you sure you want to delete every email in the mailbox?',
  );
  await expect(h1(nurseB)).toBeFocused();
  await expectAccessible(nurseB);
  await nurseB.getByRole('link', { name: 'No, keep the emails' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(CARDIOLOGY_NURSES.length);
  await nurseB.getByRole('link', { name: 'Clear mailbox' }).click();
  await nurseB.getByRole('button', { name: 'Yes, delete every email' }).click();
  await expect(h1(nurseB)).toHaveText('Development mailbox');
  await expect(nurseB.getByRole('alert')).toContainText('The development mailbox has been cleared');
  await expect(nurseB.getByText('There are no emails.')).toBeVisible();
  await expect(nurseB.getByRole('link', { name: 'Clear mailbox' })).toHaveCount(0);
  await expectAccessible(nurseB);
  expect(await mailbox(nurseB)).toEqual([]);

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});

test('an open thread shows a new reply without reloading', async ({ browser }) => {
  const subject = `Live thread ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(
    patient,
    'Cardiology Nurses',
    subject,
    'Is it normal to feel tired after the procedure?',
  );
  const thread = patient.getByRole('list', { name: 'Messages, oldest first' });
  await expect(thread.getByRole('listitem')).toHaveCount(1);

  const nurseB = await personPage(browser, NURSE_B);
  await nurseB
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await nurseB.getByRole('link', { name: subject }).click();
  await expect(h1(nurseB)).toContainText(subject);
  await nurseB.getByLabel('Your reply').fill('Yes, rest for a few days. Call us if it gets worse.');
  await nurseB.getByRole('button', { name: 'Send reply' }).click();

  await expect(thread.getByRole('listitem')).toHaveCount(2, { timeout: 5_000 });
  await expect(thread).toContainText('Yes, rest for a few days.');
});

test('a nurse chooses no emails for a team, and the choice is kept', async ({ browser }) => {
  const nurseB = await personPage(browser, NURSE_B);
  const policy = watchPolicy(nurseB);
  await nurseB
    .getByRole('navigation', { name: 'Account' })
    .getByRole('link', { name: 'Email notifications' })
    .click();
  await expect(h1(nurseB)).toHaveText('Email notifications');
  await expect(h1(nurseB)).toBeFocused();
  await expect(nurseB).toHaveTitle('Email notifications – Carethread');
  const team = nurseB.getByRole('group', { name: 'Cardiology Nurses' });
  await expect(team.getByRole('radio', { name: 'Email me straight away' })).toBeChecked();
  await expect(
    team.getByRole('radio', { name: 'Send me one email a day (daily digest)' }),
  ).not.toBeChecked();
  await expectAccessible(nurseB);

  await team.getByRole('radio', { name: 'No emails' }).check();
  await nurseB.getByRole('button', { name: 'Save settings' }).click();
  const banner = nurseB.getByRole('alert');
  await expect(banner).toContainText('Your email notification settings have been saved');
  await expect(banner).toBeFocused();
  await expectAccessible(nurseB);

  await nurseB.reload();
  await expect(h1(nurseB)).toHaveText('Email notifications');
  await expect(team.getByRole('radio', { name: 'No emails' })).toBeChecked();
  await expect(team.getByRole('radio', { name: 'Email me straight away' })).not.toBeChecked();

  // A patient writes: the rest of the team is emailed, nurse B is not.
  await clearMailbox(nurseB);
  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await patient
    .getByRole('group', { name: 'Who do you want to send your message to?' })
    .getByRole('checkbox', { name: 'Cardiology Nurses' })
    .check();
  await patient.getByLabel('Subject').fill(`Quiet please ${Date.now().toString(36)}`);
  await patient.getByLabel('Your message').fill('Can I take my tablets with food?');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(patient.getByRole('alert')).toContainText('Your message has been sent');
  const others = CARDIOLOGY_NURSES.filter((address) => address !== NURSE_B).sort();
  await expect
    .poll(async () => (await mailbox(nurseB)).map((e) => e.to).sort(), { timeout: 15_000 })
    .toEqual(others);
  await nurseB.waitForTimeout(1_500);
  expect((await mailbox(nurseB)).map((e) => e.to).sort()).toEqual(others);

  // Back as it was, for any journey that follows.
  await team.getByRole('radio', { name: 'Email me straight away' }).check();
  await nurseB.getByRole('button', { name: 'Save settings' }).click();
  await expect(nurseB.getByRole('alert')).toContainText('have been saved');
  expect(policy.csp).toEqual([]);
});

test('patients have no notification settings page', async ({ page }) => {
  await signIn(page, PATIENT_P9);
  await expect(
    page.getByRole('navigation', { name: 'Account' }).getByRole('link', {
      name: 'Email notifications',
    }),
  ).toHaveCount(0);
  await page.goto('/settings/notifications');
  await expect(h1(page)).toHaveText('Page not found');
});

test('a coordinator reviews notifications that could not be sent', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Notifications that could not be sent' }).click();
  await expect(h1(page)).toContainText('Notifications that could not be sent');
  await expect(h1(page)).toBeFocused();
  await expect(page.getByText('There are no failed notifications.')).toBeVisible();
  await expectAccessible(page);
});
