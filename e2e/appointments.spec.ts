import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage, watchPolicy } from './helpers';

/** A Central Appointments booking clerk (demo seed); the team looks after every demo patient. */
const CLERK = 'appointments.member1@demo.carethread.test';
const CLERK_NAME = 'Daniel Price';
const PATIENT_NAME = 'Margaret Thompson';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu' });

interface CapturedEmail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

async function mailbox(page: Page): Promise<CapturedEmail[]> {
  const response = await page.request.get('/api/v1/dev/mailbox?limit=200');
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: CapturedEmail[] }).items;
}

async function csrf(page: Page): Promise<string> {
  const session = await page.request.get('/api/v1/session');
  return ((await session.json()) as { csrfToken: string }).csrfToken;
}

async function clearMailbox(page: Page): Promise<void> {
  const response = await page.request.delete('/api/v1/dev/mailbox', {
    headers: { 'X-CSRF-Token': await csrf(page) },
  });
  expect(response.status()).toBe(204);
}

async function patientId(patient: Page): Promise<string> {
  const session = (await (await patient.request.get('/api/v1/session')).json()) as {
    user: { patientId: string };
  };
  return session.user.patientId;
}

/** A UK calendar day `days` from now, as typed into the form and as the pages say it. */
function ukDay(days: number) {
  const date = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Europe/London' }).format(date);
  return {
    day: part({ day: 'numeric' }),
    month: part({ month: 'numeric' }),
    year: part({ year: 'numeric' }),
    /** "Tuesday 8 December 2026" */
    words: `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })}`,
    /** "8 December" — what an email must never say. */
    dayAndMonth: `${part({ day: 'numeric' })} ${part({ month: 'long' })}`,
  };
}

/** The clerk books through the patient's record; returns the appointment page's address. */
async function book(
  clerk: Page,
  record: string,
  when: ReturnType<typeof ukDay>,
  time: string,
  location: string,
  preparation: string,
): Promise<string> {
  await clerk.goto(record);
  await expect(h1(clerk)).toContainText(PATIENT_NAME);
  await expect(clerk.getByRole('heading', { level: 2, name: 'Appointments' })).toBeVisible();
  await clerk.getByRole('link', { name: 'Book an appointment' }).click();
  await expect(h1(clerk)).toHaveText('Book an appointment');
  await clerk.getByLabel('Team', { exact: true }).selectOption({ label: 'Cardiology Nurses' });
  await clerk
    .getByLabel('Clinician (optional)')
    .selectOption({ label: 'Olu Adeyemi, Cardiac nurse specialist' });
  const date = clerk.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill(when.day);
  await date.getByLabel('Month').fill(when.month);
  await date.getByLabel('Year').fill(when.year);
  await clerk.getByLabel('Time').fill(time);
  await clerk.getByLabel('How long, in minutes').fill('30');
  await clerk.getByLabel('Where').fill(location);
  await clerk.getByLabel('How to prepare (optional)').fill(preparation);
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  await expect(clerk.getByRole('alert')).toContainText('The appointment has been booked');
  await expect(clerk).toHaveURL(/\/appointments\/[0-9a-f-]{36}$/);
  return new URL(clerk.url()).pathname;
}

async function people(browser: Browser) {
  const patient = await personPage(browser, PATIENT_P9);
  const clerk = await personPage(browser, CLERK);
  const record = `/patients/${await patientId(patient)}`;
  return { patient, clerk, record };
}

test('Central Appointments books; the patient is told without details, asks to change, and the request lands in Unassigned', async ({
  browser,
}) => {
  const canary = Date.now().toString(36);
  const location = `Outpatients B, Level 2, Main Hospital ${canary}`;
  const preparation = `Bring your medicines ${canary}`;
  const when = ukDay(10);
  const { patient, clerk, record } = await people(browser);
  const policy = watchPolicy(patient);
  await clearMailbox(clerk);

  // The record shows an Appointments section; the booking form checks what is typed.
  await clerk.goto(record);
  // The record loads after the page: check it once it is there.
  await expect(h1(clerk)).toContainText(PATIENT_NAME);
  await expectAccessible(clerk);
  await clerk.getByRole('link', { name: 'Book an appointment' }).click();
  await expect(h1(clerk)).toHaveText('Book an appointment');
  await expectAccessible(clerk);
  await clerk.getByLabel('Where').fill('');
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  const summary = clerk.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Select the team');
  await expect(summary).toContainText('Enter the date of the appointment');
  await expect(summary).toContainText('Enter the time of the appointment');
  await expect(summary).toContainText('Enter where the appointment is');
  await expect(clerk).toHaveTitle(/^Error: /);
  await expectAccessible(clerk);
  const date = clerk.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill('31');
  await date.getByLabel('Month').fill('2');
  await date.getByLabel('Year').fill(when.year);
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  await expect(summary).toContainText('Date must be a real date');

  const appointmentPath = await book(clerk, record, when, '10:30', location, preparation);
  await expect(h1(clerk)).toContainText(`${when.words} at 10:30am`);
  await expect(clerk.getByText(`Booked by`)).toBeVisible();
  await expectAccessible(clerk);

  // The patient gets a content-free email (N2): no team, date, place or name.
  await expect
    .poll(async () => (await mailbox(clerk)).filter((e) => e.to === PATIENT_P9).length, {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
  for (const email of (await mailbox(clerk)).filter((e) => e.to === PATIENT_P9)) {
    const everything = `${email.subject}\n${email.text}\n${email.html ?? ''}`;
    expect(everything).toContain('appointment update');
    expect(everything).toContain('/sign-in');
    for (const secret of [
      canary,
      'Cardiology',
      'Central Appointments',
      'Olu Adeyemi',
      'Outpatients',
      when.dayAndMonth,
      when.words,
      '10:30',
      PATIENT_NAME,
      'Thompson',
    ]) {
      expect(everything).not.toContain(secret);
    }
  }

  // The patient finds it under Appointments: upcoming, with the full details.
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  await expect(h1(patient)).toContainText('Your appointments');
  const upcoming = patient.getByRole('table', { name: 'Upcoming appointments, soonest first' });
  const row = upcoming.getByRole('row', { name: new RegExp(`${when.words} at 10:30am`) });
  await expect(row).toContainText('Cardiology Nurses');
  await expect(row).toContainText('Booked');
  await expectAccessible(patient);
  await row.getByRole('link', { name: /View/ }).click();
  await expect(patient).toHaveURL(new RegExp(`${appointmentPath}$`));
  await expect(h1(patient)).toContainText(`${when.words} at 10:30am`);
  const details = patient.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('30 minutes');
  await expect(details).toContainText(location);
  await expect(details).toContainText('Cardiology Nurses');
  await expect(details).toContainText('Olu Adeyemi');
  await expect(details).toContainText(preparation);
  await expect(details).toContainText('Booked');
  const history = patient.getByRole('list', { name: 'History, oldest first' });
  await expect(history).toContainText('Appointment booked');
  // Patients see the booking team, never the clerk's name.
  await expect(history).toContainText('by Central Appointments');
  await expect(patient.locator('main')).not.toContainText(CLERK_NAME);
  await expectAccessible(patient);

  // "Ask to change": a short message, then the appointment's own conversation.
  await patient.getByRole('link', { name: 'Ask to change' }).click();
  await expect(h1(patient)).toContainText('Ask to change your appointment');
  await expectAccessible(patient);
  await patient.getByRole('button', { name: 'Send request to change' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText('Enter what you would like');
  await expectAccessible(patient);
  const request = `Could we make it an afternoon? ${canary}`;
  await patient.getByLabel('What would you like?').fill(request);
  await expect(patient.getByText(/You have [\d,]+ characters remaining/)).toBeVisible();
  await patient.getByRole('button', { name: 'Send request to change' }).click();
  await expect(patient).toHaveURL(/\/conversations\/[0-9a-f-]{36}$/);
  await expect(patient.getByRole('alert')).toContainText(
    'Your request to change your appointment has been sent',
  );
  const thread = patient.getByRole('list', { name: 'Messages, oldest first' });
  await expect(thread).toContainText(request);
  // Her own request is not news: screen readers are not told of "new activity" for it. The
  // live event comes within a second and an announcement stays 4 seconds: look once, no retry.
  await patient.waitForTimeout(1_500);
  expect(await patient.getByRole('status').filter({ hasText: 'New activity' }).count()).toBe(0);
  await expectAccessible(patient);
  const conversationPath = new URL(patient.url()).pathname;

  // The appointment page now links to its messages.
  await patient.goto(appointmentPath);
  await patient.getByRole('link', { name: 'View messages about this appointment' }).click();
  await expect(patient).toHaveURL(new RegExp(`${conversationPath}$`));

  // A Central Appointments member finds it in the team's Unassigned view.
  const colleague = await personPage(browser, 'appointments.member2@demo.carethread.test');
  await menu(colleague).getByRole('link', { name: 'Team inbox' }).click();
  await expect(h1(colleague)).toContainText('Central Appointments');
  await expect(
    colleague
      .getByRole('navigation', { name: 'Inbox views' })
      .getByRole('link', { name: /^Unassigned/ }),
  ).toHaveAttribute('aria-current', 'page');
  const inboxRow = colleague
    .getByRole('row')
    .filter({ has: colleague.locator(`a[href="${conversationPath}"]`) });
  await expect(inboxRow).toContainText(PATIENT_NAME);
  await expect(inboxRow).toContainText('Not assigned');
  await inboxRow.getByRole('link', { name: /About your appointment/ }).click();
  await expect(colleague.getByRole('list', { name: 'Messages, oldest first' })).toContainText(
    request,
  );
  // The conversation leads back to the appointment it is about.
  await colleague
    .getByRole('link', { name: 'View the appointment this conversation is about' })
    .click();
  await expect(h1(colleague)).toContainText(when.words);

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});

test('staff change and cancel an appointment; the patient sees the new time, the history and the cut-off', async ({
  browser,
}) => {
  const canary = Date.now().toString(36);
  const when = ukDay(20);
  const { patient, clerk, record } = await people(browser);
  const appointmentPath = await book(
    clerk,
    record,
    when,
    '09:15',
    `Clinic 4, Main Hospital ${canary}`,
    '',
  );

  // The clerk changes the time; the form comes filled in with what is booked now.
  await clerk.getByRole('link', { name: 'Change appointment' }).click();
  await expect(h1(clerk)).toHaveText(/Change appointment/);
  await expect(clerk.getByLabel('Time')).toHaveValue('09:15');
  await expect(clerk.getByLabel('Where')).toHaveValue(`Clinic 4, Main Hospital ${canary}`);
  await expectAccessible(clerk);

  // Meanwhile a colleague moves it to another room: the clerk's change is refused and reloaded.
  const colleague = await personPage(browser, 'appointments.member2@demo.carethread.test');
  await colleague.goto(`${appointmentPath}/change`);
  await colleague.getByLabel('Where').fill(`Clinic 7, Main Hospital ${canary}`);
  await colleague.getByRole('button', { name: 'Save changes' }).click();
  await expect(colleague.getByRole('alert')).toContainText('The appointment has been changed');

  await clerk.getByLabel('Time').fill('14:45');
  await clerk.getByRole('button', { name: 'Save changes' }).click();
  await expect(clerk.locator('.nhsuk-error-summary')).toContainText(
    'Someone else changed this appointment',
  );
  await expect(clerk.getByLabel('Where')).toHaveValue(`Clinic 7, Main Hospital ${canary}`);
  await expect(clerk.getByLabel('Time')).toHaveValue('09:15');
  await expectAccessible(clerk);
  await clerk.getByLabel('Time').fill('14:45');
  await clerk.getByRole('button', { name: 'Save changes' }).click();
  await expect(clerk.getByRole('alert')).toContainText('The appointment has been changed');
  await expect(h1(clerk)).toContainText(`${when.words} at 2:45pm`);
  const staffHistory = clerk.getByRole('list', { name: 'History, oldest first' });
  await expect(staffHistory).toContainText(`Moved to ${when.words} at 2:45pm`);
  await expect(staffHistory).toContainText(`by ${CLERK_NAME}, Central Appointments`);
  await expectAccessible(clerk);

  // The patient sees the new time and what happened, in plain words.
  await patient.goto(appointmentPath);
  await expect(h1(patient)).toContainText(`${when.words} at 2:45pm`);
  await expect(patient.locator('dl.nhsuk-summary-list')).toContainText(
    `Clinic 7, Main Hospital ${canary}`,
  );
  const history = patient.getByRole('list', { name: 'History, oldest first' });
  await expect(history).toContainText('Appointment booked');
  await expect(history).toContainText(`Moved to ${when.words} at 2:45pm`);
  await expect(history).toContainText(`was ${when.words} at 9:15am, now ${when.words} at 2:45pm`);
  await expect(patient.locator('main')).not.toContainText(CLERK_NAME);
  await expectAccessible(patient);

  // The clerk cancels it with a reason; the patient sees it cancelled, with no buttons.
  await clerk.getByRole('link', { name: 'Cancel appointment' }).click();
  await expect(h1(clerk)).toHaveText(/Cancel appointment/);
  await expectAccessible(clerk);
  await clerk.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(clerk.locator('.nhsuk-error-summary')).toContainText('Enter why it is cancelled');
  await clerk.getByLabel('Why is it cancelled?').fill('The clinic is closed that day');
  await clerk.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(clerk.getByRole('alert')).toContainText('The appointment has been cancelled');
  await expect(clerk.getByRole('link', { name: 'Change appointment' })).toHaveCount(0);

  await patient.reload();
  await expect(patient.locator('dl.nhsuk-summary-list')).toContainText('Cancelled');
  await expect(history).toContainText('Appointment cancelled');
  await expect(history).toContainText('Reason: The clinic is closed that day');
  await expect(patient.getByRole('link', { name: 'Ask to change' })).toHaveCount(0);
  await expectAccessible(patient);

  // Within 3 days of an appointment (the demo's ECG in 2 days), patients are told to call.
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  const soon = ukDay(2);
  await patient
    .getByRole('table', { name: 'Upcoming appointments, soonest first' })
    .getByRole('row', { name: new RegExp(soon.words) })
    .getByRole('link', { name: /View/ })
    .click();
  await expect(h1(patient)).toContainText(soon.words);
  await expect(patient.locator('main')).toContainText(
    'It’s less than 3 days until your appointment. To change or cancel it, call Cardiology Nurses on 0300 123 4010.',
  );
  await expect(patient.getByRole('link', { name: 'Ask to change' })).toHaveCount(0);
  await expect(patient.getByRole('link', { name: 'Ask to cancel' })).toHaveCount(0);
  await expectAccessible(patient);
  // An old link to the request form says so instead of offering a form that would be refused.
  await patient.goto(`${new URL(patient.url()).pathname}/ask-to-change`);
  await expect(h1(patient)).toHaveText('You cannot ask online any more');
  await expect(patient.getByLabel('What would you like?')).toHaveCount(0);
  await expectAccessible(patient);
});

test('a carer with message consent sees the appointments of the person they care for and asks to cancel one', async ({
  browser,
}) => {
  // Demo seed: Aisha Khan may read and send George Williams's messages.
  const carer = await personPage(browser, 'aisha.khan@demo.carethread.test');
  const caredFor = (await (await carer.request.get('/api/v1/me/cared-for')).json()) as {
    items: { patient: { id: string; name: string } }[];
  };
  const george = caredFor.items.find((item) => item.patient.name === 'George Williams');
  expect(george).toBeDefined();
  const clerk = await personPage(browser, CLERK);
  await clearMailbox(clerk);
  const when = ukDay(12);
  await clerk.goto(`/patients/${george?.patient.id}`);
  await expect(h1(clerk)).toContainText('George Williams');
  await clerk.getByRole('link', { name: 'Book an appointment' }).click();
  await clerk.getByLabel('Team', { exact: true }).selectOption({ label: 'Cardiology Nurses' });
  const date = clerk.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill(when.day);
  await date.getByLabel('Month').fill(when.month);
  await date.getByLabel('Year').fill(when.year);
  await clerk.getByLabel('Time').fill('11:00');
  await clerk.getByLabel('Where').fill('Heart Investigations Unit');
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  await expect(clerk.getByRole('alert')).toContainText('The appointment has been booked');
  await expect(clerk.locator('dl.nhsuk-summary-list')).toContainText('Not yet known');

  // The carer (with active consent) is told too, without details (N2).
  await expect
    .poll(async () => (await mailbox(clerk)).map((e) => e.to), { timeout: 15_000 })
    .toContain('aisha.khan@demo.carethread.test');

  await menu(carer).getByRole('link', { name: 'Appointments' }).click();
  await carer.getByRole('link', { name: 'George Williams’s appointments' }).click();
  await expect(h1(carer)).toHaveText(/George Williams’s appointments/);
  await expectAccessible(carer);
  await carer
    .getByRole('row', { name: new RegExp(`${when.words} at 11am`) })
    .getByRole('link', { name: /View/ })
    .click();
  await expect(h1(carer)).toContainText(`${when.words} at 11am`);
  await expectAccessible(carer);
  await carer.getByRole('link', { name: 'Ask to cancel' }).click();
  await expect(h1(carer)).toContainText('Ask to cancel the appointment');
  await carer.getByLabel('What would you like?').fill('He is in hospital that week.');
  await carer.getByRole('button', { name: 'Send request to cancel' }).click();
  await expect(carer.getByRole('alert')).toContainText(
    'Your request to cancel the appointment has been sent',
  );
  await expect(carer.getByRole('list', { name: 'Messages, oldest first' })).toContainText(
    'He is in hospital that week.',
  );
  await expectAccessible(carer);
});

// The attendance journey moves the server's clock (CARETHREAD_TEST_CLOCK); later files run on
// the real time again.
test.afterAll(async ({ request }) => {
  expect((await request.delete('/__test/clock')).status()).toBe(200);
});

test('once the appointment has started, the clinic records that the patient came', async ({
  browser,
}) => {
  const when = ukDay(1);
  const { patient, clerk, record } = await people(browser);
  const path = await book(clerk, record, when, '09:00', 'Clinic 4, Main Hospital', '');
  // Before it starts there is nothing to record.
  await expect(clerk.getByRole('heading', { name: 'Did the patient come?' })).toHaveCount(0);

  // Two days later (the server's clock); everyone signs in again.
  const moved = await patient.request.post('/__test/clock', {
    data: { advanceMs: 2 * 24 * 60 * 60 * 1000 },
  });
  expect(moved.status()).toBe(200);
  const clinic = await personPage(browser, CLERK);
  await clinic.goto(path);
  await expect(clinic.getByRole('heading', { name: 'Did the patient come?' })).toBeVisible();
  await expectAccessible(clinic);
  await clinic.getByRole('button', { name: 'Mark as attended' }).click();
  await expect(clinic.getByRole('alert')).toContainText('Recorded as attended');
  await expect(clinic.locator('dl.nhsuk-summary-list')).toContainText('Attended');
  await expect(clinic.getByRole('heading', { name: 'Did the patient come?' })).toHaveCount(0);
  await expect(clinic.getByRole('link', { name: 'Change appointment' })).toHaveCount(0);
});

test('a date more than 2 years ahead (a slip such as 2062 for 2026) is refused on the year (decision 0016)', async ({
  browser,
}) => {
  const { clerk, record } = await people(browser);
  await clerk.goto(record);
  await expect(h1(clerk)).toContainText(PATIENT_NAME);
  await clerk.getByRole('link', { name: 'Book an appointment' }).click();
  await expect(h1(clerk)).toHaveText('Book an appointment');
  const when = ukDay(10);
  await clerk.getByLabel('Team', { exact: true }).selectOption({ label: 'Cardiology Nurses' });
  const date = clerk.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill(when.day);
  await date.getByLabel('Month').fill(when.month);
  await date.getByLabel('Year').fill(String(Number(when.year) + 36));
  await clerk.getByLabel('Time').fill('10:30');
  await clerk.getByLabel('How long, in minutes').fill('30');
  await clerk.getByLabel('Where').fill('Outpatients B');
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  const summary = clerk.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('The appointment must be within the next 2 years');
  await summary
    .getByRole('link', { name: 'The appointment must be within the next 2 years' })
    .click();
  await expect(date.getByLabel('Year')).toBeFocused();
  await expect(date).toContainText('Error: The appointment must be within the next 2 years');
  await expect(clerk).toHaveTitle(/^Error: /);
  await expect(h1(clerk)).toHaveText('Book an appointment');
  await expectAccessible(clerk);
});
