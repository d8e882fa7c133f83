import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import { COORDINATOR, expectAccessible, PATIENT_P9, personPage, signIn } from './helpers';

// What axe cannot see: where focus lands after each action, and what a screen reader is told.

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('adding a document: the title says when there is an error, and focus follows the upload to its outcome and back to the form', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/documents/upload');
  await expect(h1(patient)).toHaveText('Upload a document');

  await patient.getByRole('button', { name: 'Upload document' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(patient).toHaveTitle('Error: Upload a document – Carethread');

  // The form is replaced by the upload's progress, then by its outcome: focus goes with them,
  // not to the page's <body>.
  await patient.getByLabel('Choose a file').setInputFiles({
    name: 'rash.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  });
  await patient.getByLabel('Title (optional)').fill('Photo of the rash');
  await patient.getByRole('button', { name: 'Upload document' }).focus();
  await patient.keyboard.press('Enter');
  const outcome = patient
    .getByRole('status')
    .filter({ hasText: 'Photo of the rash has been added to the record' });
  await expect(outcome).toBeVisible({ timeout: 30_000 });
  await expect(outcome).toBeFocused();
  // The NHS success banner, said once: inside the status it is not a live region of its own.
  await expect(outcome.getByRole('region', { name: 'Success' })).toBeVisible();
  await expect(
    patient
      .locator('[role="status"], [role="alert"], [aria-live]')
      .filter({ hasText: 'Photo of the rash has been added to the record' }),
  ).toHaveCount(1);
  await expect(patient).toHaveTitle('Upload a document – Carethread');

  // "Upload another document" brings the form back with focus on its first field.
  await patient.getByRole('button', { name: 'Upload another document' }).focus();
  await patient.keyboard.press('Enter');
  await expect(patient.getByLabel('Choose a file')).toBeFocused();
  await patient.context().close();
});

test('attaching a file to a message with the keyboard: focus comes back to the form when it has uploaded', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  const input = patient.getByLabel('Attach a file (optional)');
  // A keyboard user chooses the file from the focused field (the file chooser returns there).
  await input.focus();
  await input.setInputFiles({ name: 'swelling.png', mimeType: 'image/png', buffer: makePng() });
  await expect(
    patient
      .getByRole('list', { name: 'Files attached to your message' })
      .getByRole('button', { name: 'Remove swelling.png' }),
  ).toBeVisible({ timeout: 20_000 });
  // The field was replaced while the file uploaded: focus must not be left on <body>.
  await expect(patient.getByLabel('Attach a file (optional)')).toBeFocused();
  await patient.context().close();
});

test('inviting a carer moves focus to the one-time code, so a screen reader reads it out', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/carers');
  await expect(h1(patient)).toHaveText('Your carers');
  await patient.getByLabel('Your carer’s email address').fill('neighbour@example.test');
  await patient.getByRole('radio', { name: 'View messages', exact: true }).check();
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  const code = patient.getByRole('status').filter({ hasText: 'Give your carer this code' });
  await expect(code).toBeVisible();
  await expect(code).toBeFocused();
  await patient.context().close();
});

test('ticking a team that is closed now tells a screen reader (and a carer) at once, through a live region already on the page', async ({
  page,
  browser,
}) => {
  // A team open only on a day that is not today in London: closed now, whatever the time.
  await signIn(page, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' })
    .format(new Date())
    .toLowerCase();
  const day = today === 'tuesday' ? 'friday' : 'tuesday';
  const unique = Date.now().toString(36);
  const name = `Tuesday Clinic ${unique}`;
  const created = await page.request.post(
    `/api/v1/organisations/${session.user.coordinatorOf[0]!.id}/teams`,
    {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        name,
        slug: `tuesday-${unique}`,
        contactable: true,
        phone: '020 7946 0123',
        replyWithinWorkingDays: 2,
        openingHours: [{ day, opens: '09:00', closes: '12:00' }],
      },
    },
  );
  expect(created.status()).toBe(201);

  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await expect(h1(patient)).toHaveText('Send a new message');
  // Live regions are announced only when content changes inside one that already exists.
  await patient
    .locator('[aria-live], [role="status"], [role="alert"]')
    .evaluateAll((regions) => regions.forEach((r) => r.setAttribute('data-was-there', '')));
  await patient.getByRole('checkbox', { name }).check();
  const card = patient.locator('#closed-notice');
  await expect(card).toContainText(`${name} is closed now`);
  await expect(
    card.locator(
      'xpath=ancestor-or-self::*[@data-was-there][@aria-live="polite" or @role="status"]',
    ),
  ).toHaveCount(1);
  await patient.context().close();

  // A carer writing for the person they care for is told the same, the same way.
  const carer = await personPage(browser, 'aisha.khan@demo.carethread.test');
  await carer.goto('/cared-for');
  await carer.getByRole('link', { name: 'George Williams' }).click();
  await carer.getByRole('link', { name: /Send a message/ }).click();
  await expect(h1(carer)).toContainText('Send a message');
  await carer
    .locator('[aria-live], [role="status"], [role="alert"]')
    .evaluateAll((regions) => regions.forEach((r) => r.setAttribute('data-was-there', '')));
  await carer.getByRole('radio', { name: new RegExp(name) }).check();
  const carerCard = carer.locator('#closed-notice');
  await expect(carerCard).toContainText(`${name} is closed now`);
  await expect(
    carerCard.locator(
      'xpath=ancestor-or-self::*[@data-was-there][@aria-live="polite" or @role="status"]',
    ),
  ).toHaveCount(1);
  await expectAccessible(carer);
  await carer.context().close();
});

test('searching for someone to add to a conversation says how many were found', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await patient.getByRole('checkbox', { name: 'Cardiology Nurses' }).check();
  await patient.getByLabel('Subject').fill(`Breathless ${Date.now().toString(36)}`);
  await patient.getByLabel('Your message').fill('I get breathless on the stairs.');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText('Breathless');

  const nurse = await personPage(browser, 'cardiology.nurses.member1@demo.carethread.test');
  await nurse.goto(patient.url());
  await nurse.getByRole('link', { name: 'Add people' }).click();
  await expect(h1(nurse)).toContainText('Add people to the conversation');
  // Focus stays on Search, so the results must be announced by a live region already there.
  await nurse
    .locator('[aria-live], [role="status"], [role="alert"]')
    .evaluateAll((regions) => regions.forEach((r) => r.setAttribute('data-was-there', '')));
  await nurse.getByLabel('Name (optional)').fill('Novak');
  await nurse.getByRole('button', { name: 'Search' }).click();
  await expect(nurse.getByRole('table', { name: 'Search results' })).toBeVisible();
  await expect(nurse.getByRole('button', { name: 'Search' })).toBeFocused();
  await expect(
    nurse.locator('[data-was-there]').filter({ hasText: '1 team or professional found' }),
  ).toHaveCount(1);
  await nurse.getByLabel('Name (optional)').fill('zzz-nobody');
  await nurse.getByRole('button', { name: 'Search' }).click();
  await expect(
    nurse.locator('[data-was-there]').filter({ hasText: 'No teams or professionals match' }),
  ).toHaveCount(1);
  await nurse.context().close();
  await patient.context().close();
});
