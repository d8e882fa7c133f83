import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, PASSWORD, PATIENT_P9, personPage, signIn } from './helpers';

const NURSES = { name: 'Cardiology Nurses', slug: 'demo-cardiology-nurses' };

/** A browser of its own, as a patient at home would have. */
async function freshPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  return context.newPage();
}

/** The sign-in page a patient reaches from the button: the same form, then back to `from`. */
async function signInHere(page: Page, email: string) {
  await expect(
    page.getByRole('heading', { level: 1, name: 'Sign in to Carethread' }),
  ).toBeVisible();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a website button brings a patient to compose for the team; once assigned, the manager sees it in the workload', async ({
  page,
  context,
  browser,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);

  // The coordinator copies the button from the team's settings.
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: NURSES.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Website button' })).toBeVisible();
  const box = page.getByLabel('Button HTML');
  const snippet = await box.inputValue();
  expect(snippet).toContain(`/messages/new?team=${NURSES.slug}`);
  expect(snippet).not.toMatch(/style=|<script/i);
  await page.getByRole('button', { name: 'Copy button HTML' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Button HTML copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(snippet);
  await expect(page.getByLabel('Plain link')).toHaveValue(
    `${new URL(page.url()).origin}/messages/new?team=${NURSES.slug}`,
  );
  await expectAccessible(page);

  // ...and pastes it into the department's own plain HTML page.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carethread-site-'));
  const file = path.join(dir, 'cardiology.html');
  fs.writeFileSync(
    file,
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Cardiology department</title></head>
<body><main><h1>Cardiology department</h1><p>Our nurses answer questions about your heart care.</p>
${copied}
</main></body></html>`,
  );

  // A patient on that page selects the button, signs in and lands on compose.
  const patient = await freshPage(browser, baseURL);
  await patient.goto(pathToFileURL(file).href);
  await patient.getByRole('link', { name: 'Message us securely' }).click();
  await expect(patient).toHaveURL(/\/sign-in/);
  await signInHere(patient, PATIENT_P9);
  await expect(patient).toHaveURL(new RegExp(`/messages/new\\?team=${NURSES.slug}$`));
  await expect(
    patient.getByRole('heading', { level: 1, name: 'Send a new message' }),
  ).toBeVisible();
  await expect(patient.getByRole('checkbox', { name: NURSES.name })).toBeChecked();
  // A link typed or printed with capitals chooses the same team.
  await patient.goto(`/messages/new?team=${NURSES.slug.toUpperCase()}`);
  await expect(patient.getByRole('checkbox', { name: NURSES.name })).toBeChecked();

  // Outside opening hours the urgent-help card shows before sending; within them it does not.
  const facts = (await (
    await patient.request.get(`/api/v1/public/teams/${NURSES.slug}`)
  ).json()) as { availability: { openNow: boolean } | null };
  const card = patient.locator('#closed-notice');
  if (facts.availability?.openNow === false) {
    await expect(card).toContainText(`${NURSES.name} is closed now`);
    await expect(card).toContainText('call 111');
  } else {
    await expect(card).toHaveCount(0);
  }
  await expectAccessible(patient);

  const subject = `Question from your website ${Date.now().toString(36)}`;
  await patient.getByLabel('Subject').fill(subject);
  await patient.getByLabel('Your message').fill('Can I take my new tablets with food?');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(patient.getByRole('alert')).toContainText(
    `Your message has been sent to ${NURSES.name}`,
  );
  await patient.context().close();
  fs.rmSync(dir, { recursive: true, force: true });

  // A nurse assigns it to herself; the team's manager sees who is helping whom.
  const nurse = await personPage(browser, 'cardiology.nurses.member1@demo.carethread.test');
  await nurse
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await nurse.getByRole('link', { name: subject }).click();
  await nurse.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurse.getByRole('alert')).toContainText('assigned to you');
  const manager = await personPage(browser, 'cardiology.nurses.manager@demo.carethread.test');
  await manager
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await manager.getByRole('link', { name: 'Who is helping whom' }).click();
  await expect(
    manager
      .getByRole('region', { name: /Olu Adeyemi/ })
      .getByRole('row', { name: new RegExp(subject) }),
  ).toContainText('Margaret Thompson');
});

test('the team’s public page: its facts, axe-clean, and usable with the keyboard alone', async ({
  browser,
}, testInfo) => {
  const page = await freshPage(browser, testInfo.project.use.baseURL);
  await page.goto(`/t/${NURSES.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(NURSES.name);
  await expect(page.getByRole('heading', { level: 2, name: 'Call us' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('Monday');
  await expect(page.getByText('call 999 in an emergency')).toBeVisible();
  await expectAccessible(page);

  // Tab from the top of the page to the button, then Enter: on to sign in.
  await page.locator('body').focus();
  let focused = '';
  for (let i = 0; i < 30 && focused !== 'Message us securely'; i += 1) {
    await page.keyboard.press('Tab');
    focused = (await page.evaluate(() => document.activeElement?.textContent ?? '')).trim();
  }
  expect(focused).toBe('Message us securely');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.context().close();
});

test('an address printed with capital letters opens the team’s page, and Back still works', async ({
  browser,
}, testInfo) => {
  const page = await freshPage(browser, testInfo.project.use.baseURL);
  await page.goto('/t/demo-cardiology-consultants');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cardiology Consultants');

  // As a leaflet or a department's website might print it.
  await page.goto('/t/Demo-Cardiology-Nurses');
  await expect(page).toHaveURL(new RegExp(`/t/${NURSES.slug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(NURSES.name);
  await expect(page.getByRole('link', { name: 'Message us securely' })).toBeVisible();

  // The capitalised address was replaced, not kept: Back goes to where the patient was.
  await page.goBack();
  await expect(page).toHaveURL(/\/t\/demo-cardiology-consultants$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cardiology Consultants');
  await page.context().close();
});

test('a team patients cannot message keeps its phone number and says so', async ({
  browser,
}, testInfo) => {
  const page = await freshPage(browser, testInfo.project.use.baseURL);
  await page.goto('/t/demo-cardiology-consultants');
  await expect(page.getByText('You cannot send Cardiology Consultants a message')).toBeVisible();
  // It has no phone number: the page does not tell the patient to call it.
  await expect(page.getByText('This team has not given a phone number.')).toBeVisible();
  await expect(page.getByText('Call us instead')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Message us securely' })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/t/no-such-team');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.context().close();
});

test('writing to a closed team, the patient sees when it will reply and where to get urgent help', async ({
  page,
  browser,
}, testInfo) => {
  // A team open only on a day that is not today in London: closed now, whatever the time.
  await signIn(page, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' })
    .format(new Date())
    .toLowerCase();
  const day = today === 'wednesday' ? 'thursday' : 'wednesday';
  const slug = `closed-${Date.now()}`;
  const created = await page.request.post(
    `/api/v1/organisations/${session.user.coordinatorOf[0]!.id}/teams`,
    {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        name: 'Wednesday Clinic',
        slug,
        contactable: true,
        phone: '020 7946 0123',
        replyWithinWorkingDays: 2,
        openingHours: [{ day, opens: '09:00', closes: '12:00' }],
      },
    },
  );
  expect(created.status()).toBe(201);

  const patient = await freshPage(browser, testInfo.project.use.baseURL);
  await signIn(patient, PATIENT_P9);
  await patient.goto(`/messages/new?team=${slug}`);
  const card = patient.locator('#closed-notice');
  await expect(card).toContainText('Wednesday Clinic is closed now');
  const dayName = day[0]!.toUpperCase() + day.slice(1);
  await expect(card).toContainText(
    new RegExp(`will not see your message until they open at 9am on ${dayName} \\d+ \\w+`),
  );
  await expect(card.getByRole('link', { name: '111.nhs.uk' })).toBeVisible();
  await expect(card).toContainText('call 999 in an emergency');
  await expectAccessible(patient);

  // Unticking the closed team takes the card away.
  await patient.getByRole('checkbox', { name: 'Wednesday Clinic' }).uncheck();
  await expect(card).toHaveCount(0);

  // Its public page says the same, with the promise of a reply.
  await patient.goto(`/t/${slug}`);
  await expect(patient.getByText('We aim to reply within 2 working days.')).toBeVisible();
  await expect(patient.getByText('Closed now')).toBeVisible();
  await expectAccessible(patient);
  await patient.context().close();
});
