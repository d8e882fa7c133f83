import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import {
  apiPost,
  attachToMessage,
  expectAccessible,
  makeCarer,
  PATIENT_P9,
  personPage,
  sendNewMessage,
} from './helpers';

/** Demo patients: Margaret invites David Jones, who signs in with his own account. */
const CARER = 'david.jones@demo.carethread.test';
const CARER_NAME = 'David Jones';
const PATIENT_NAME = 'Margaret Thompson';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a patient invites a carer, the carer reads a conversation, the patient revokes, and the carer’s next page load shows no access (C1, C5)', async ({
  browser,
}) => {
  const subject = `Help with appointments ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'Could my son come with me?');
  const patientConversationUrl = patient.url();
  // The patient's own conversation offers "Private from carers" and sharing the record, after
  // the messages and the reply box (a phone shows those first). With no carers, it says so.
  const headings = await patient.getByRole('heading', { level: 2 }).allTextContents();
  expect(headings.indexOf('Reply')).toBeGreaterThan(headings.indexOf('Messages'));
  expect(headings.indexOf('Your carers and this conversation')).toBeGreaterThan(
    headings.indexOf('Reply'),
  );
  await expect(
    patient.getByText(
      'You have no carers. If you add one, they will see this conversation unless you make it private.',
    ),
  ).toBeVisible();
  await expect(patient.getByRole('button', { name: 'Make private from carers' })).toBeVisible();
  await expectAccessible(patient);

  // Invite: level and optional end date; the code is shown once, never emailed.
  await patient.goto('/');
  await patient.getByRole('link', { name: 'Your carers' }).click();
  await expect(h1(patient)).toHaveText('Your carers');
  await expectAccessible(patient);
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  const summary = patient.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Enter your carer’s email address');
  await expectAccessible(patient);
  await patient.getByLabel('Your carer’s email address').fill(CARER);
  await patient.getByRole('radio', { name: 'View messages', exact: true }).check();
  // The last day of access: day, month and year boxes, with errors in NHS.UK words.
  const lastDay = patient.getByRole('group', { name: 'Last day of access (optional)' });
  await lastDay.getByLabel('Day').fill('31 March 2027');
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Enter the last day as a date, for example 31 3 2027');
  await expect(lastDay).toContainText('Enter the last day as a date, for example 31 3 2027');
  await expectAccessible(patient);
  await lastDay.getByLabel('Day').fill('1');
  await lastDay.getByLabel('Month').fill('1');
  await lastDay.getByLabel('Year').fill('2020');
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  await expect(summary).toContainText('The last day must be today or in the future');
  await summary.getByRole('link', { name: 'The last day must be today or in the future' }).click();
  await expect(lastDay.getByLabel('Day')).toBeFocused();
  const nextYear = String(new Date().getFullYear() + 1);
  await lastDay.getByLabel('Day').fill('31');
  await lastDay.getByLabel('Month').fill('3');
  await lastDay.getByLabel('Year').fill(nextYear);
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  const code = (await patient.getByTestId('invitation-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(
    patient.getByRole('table', { name: 'Invitations waiting to be accepted' }),
  ).toContainText(CARER);
  await expectAccessible(patient);

  // The carer accepts with their own account and reads the conversation.
  const carer = await personPage(browser, CARER);
  await carer.getByRole('link', { name: 'Accept a carer invitation' }).click();
  await expect(h1(carer)).toHaveText('Accept a carer invitation');
  await expectAccessible(carer);
  await carer.getByLabel('Invitation code').fill(code.toLowerCase());
  await carer.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(h1(carer)).toContainText(`${PATIENT_NAME}’s messages`);
  await expect(carer.getByText(`You are now a carer for ${PATIENT_NAME}`)).toBeVisible();
  await expect(carer.getByRole('link', { name: /Send a message for/ })).toHaveCount(0);
  await expectAccessible(carer);
  // Going straight to the address of the message form explains instead of offering it.
  const caredForUrl = carer.url();
  await carer.goto(`${caredForUrl}/new`);
  await expect(
    carer.getByText(`You can read ${PATIENT_NAME}’s messages but not send them.`),
  ).toBeVisible();
  await expect(carer.getByRole('button', { name: 'Send message' })).toHaveCount(0);
  await expectAccessible(carer);
  await carer.goto(caredForUrl);
  await carer.getByRole('link', { name: subject }).click();
  await expect(h1(carer)).toContainText(subject);
  await expect(carer.getByText('Could my son come with me?')).toBeVisible();
  await expect(carer.getByText('As their carer you may read this conversation')).toBeVisible();
  // The carer's view has the patient's name only, and none of her controls.
  await expect(carer.getByText('NHS number')).toHaveCount(0);
  await expect(carer.getByRole('button', { name: 'Make private from carers' })).toHaveCount(0);
  await expectAccessible(carer);
  const conversationUrl = carer.url();

  await carer.goto('/cared-for');
  await expect(carer.getByRole('link', { name: PATIENT_NAME })).toBeVisible();
  await expectAccessible(carer);

  // The patient's conversation now names who can see it.
  await patient.goto(patientConversationUrl);
  await expect(
    patient.getByText(`Your carer, ${CARER_NAME}, can see this conversation.`),
  ).toBeVisible();

  // The patient sees the carer and stops their access.
  await patient.goto('/carers');
  const carers = patient.getByRole('table', { name: 'Your carers' });
  await expect(carers).toContainText(CARER_NAME);
  // Until the end of the last day she chose, not the moment after it (C1).
  await expect(carers).toContainText(`The end of 31 March ${nextYear}`);
  // It asks first: a mistaken tap on a phone does not end it, and backing out keeps it.
  await patient.getByRole('link', { name: `Stop access for ${CARER_NAME}` }).click();
  await expect(h1(patient)).toContainText(`Are you sure you want to stop ${CARER_NAME}’s access?`);
  await expect(h1(patient)).toBeFocused();
  await expect(patient).toHaveTitle(`Stop ${CARER_NAME}’s access – Carethread`);
  await expect(patient.getByText(`${CARER_NAME} will lose access at once`)).toBeVisible();
  await expectAccessible(patient);
  await patient.getByRole('link', { name: `No, keep ${CARER_NAME} as my carer` }).click();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(carers).toContainText('Active');
  await patient.getByRole('link', { name: `Stop access for ${CARER_NAME}` }).click();
  await patient.getByRole('button', { name: `Yes, stop ${CARER_NAME}’s access` }).click();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(patient.getByRole('alert')).toContainText(
    `${CARER_NAME} can no longer see your messages`,
  );
  await expect(carers).toContainText('Stopped');
  // Back to the question finds nothing left to stop: the list, as it is now.
  await patient.goBack();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(carers).toContainText('Stopped');

  // The carer's very next page load has no access, and says why (not "Page not found").
  await carer.goto(conversationUrl);
  await expect(h1(carer)).toHaveText('You cannot see this conversation');
  await expect(carer.getByText('Could my son come with me?')).toHaveCount(0);
  await carer.goto('/cared-for');
  await expect(carer.getByText('You do not care for anyone at the moment.')).toBeVisible();

  // And the patient's "Who has seen my record" says so, with why.
  await patient.goto('/access-log');
  const log = patient.getByRole('table');
  await expect(log).toContainText('Ended a carer’s consent');
  await expect(log).toContainText('Became your carer');
  await expect(log).toContainText('You agreed to them being your carer');
  await expect(patient.getByRole('link', { name: 'Download the whole list (CSV)' })).toBeVisible();
  await expectAccessible(patient);
});

test('a carer with "view and send" writes for the person they care for, shown as themselves (M1, C1)', async ({
  browser,
}) => {
  // Demo seed: Aisha Khan cares for George Williams with "view and send messages".
  const subject = `Repeat prescription ${Date.now().toString(36)}`;
  const carer = await personPage(browser, 'aisha.khan@demo.carethread.test');
  await carer.getByRole('link', { name: 'People you care for' }).click();
  await carer.getByRole('link', { name: 'George Williams' }).click();
  await expect(h1(carer)).toContainText('George Williams’s messages');
  await carer.getByRole('link', { name: 'Send a message for George Williams' }).click();
  await expect(h1(carer)).toContainText('Send a message');
  await expectAccessible(carer);
  await carer.getByRole('button', { name: 'Send message' }).click();
  await expect(carer.locator('.nhsuk-error-summary')).toBeFocused();
  await expectAccessible(carer);
  await carer.getByRole('radio', { name: /^Cardiology Nurses/ }).check();
  await carer.getByLabel('Subject').fill(subject);
  await carer.getByLabel('Message').fill('George needs his repeat prescription.');
  // With message consent she may add files to his record, so she may attach one.
  await attachToMessage(carer, {
    name: 'tablet-box.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  });
  await expectAccessible(carer);
  await carer.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(carer)).toContainText(subject);
  await expect(carer.getByRole('list', { name: 'Who can read and reply' })).toContainText(
    'Aisha Khan, Carer',
  );
  const thread = (page: Page) => page.getByRole('list', { name: 'Messages, oldest first' });
  await expect(
    thread(carer).getByRole('link', { name: 'tablet-box.png', exact: true }),
  ).toBeVisible();
  await expectAccessible(carer);

  const patient = await personPage(browser, 'george.williams@demo.carethread.test');
  await patient.getByRole('link', { name: subject }).click();
  await expect(patient.getByText('George needs his repeat prescription.')).toBeVisible();
  await expect(patient.getByText('Aisha Khan (carer)')).toBeVisible();
  await expect(
    thread(patient).getByRole('link', { name: 'tablet-box.png', exact: true }),
  ).toBeVisible();
});

test('a carer whose access is stopped while they write is told so, not "not found", and keeps what they wrote (C1)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const carer = await personPage(browser, CARER);
  const { patientId, consentId } = await makeCarer(patient, carer, CARER);

  await carer.goto(`/cared-for/${patientId}`);
  await carer.getByRole('link', { name: `Send a message for ${PATIENT_NAME}` }).click();
  await expect(h1(carer)).toContainText('Send a message');
  await carer.getByRole('radio', { name: /^Cardiology Nurses/ }).check();
  await carer.getByLabel('Subject').fill('Her new tablets');
  await carer.getByLabel('Message').fill('She is feeling dizzy since Monday.');

  // Margaret stops David's access while he writes.
  await apiPost(patient, `/api/v1/carer-consents/${consentId}/revoke`);
  await carer.getByRole('button', { name: 'Send message' }).click();
  const summary = carer.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(
    'Your message has not been sent. You can no longer send messages for this person',
  );
  await expect(summary).not.toContainText('not found');
  await expect(carer.getByLabel('Message')).toHaveValue('She is feeling dizzy since Monday.');
  await expectAccessible(carer);

  // Their list of messages says what has happened, and where to go.
  await carer.goto(`/cared-for/${patientId}`);
  await expect(h1(carer)).toHaveText('You cannot see these messages');
  await expect(carer).toHaveTitle('You cannot see these messages – Carethread');
  await expect(carer.getByText('They may have stopped your access')).toBeVisible();
  await expectAccessible(carer);
  await carer.getByRole('link', { name: 'People you care for' }).last().click();
  await expect(carer.getByRole('link', { name: PATIENT_NAME })).toHaveCount(0);
  await patient.context().close();
  await carer.context().close();
});

test('a carer whose access is stopped is told so on the documents and appointments pages too, not "Page not found" (C1)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const carer = await personPage(browser, CARER);
  const { patientId, consentId } = await makeCarer(patient, carer, CARER);
  const documents = `/cared-for/${patientId}/documents`;
  const appointments = `/cared-for/${patientId}/appointments`;

  await carer.goto(documents);
  await expect(h1(carer)).toContainText(`${PATIENT_NAME}’s documents`);
  await carer.goto(appointments);
  await expect(h1(carer)).toContainText(`${PATIENT_NAME}’s appointments`);
  await carer
    .getByRole('link', { name: /^View appointment on/ })
    .first()
    .click();
  await expect(h1(carer)).not.toContainText('appointments');
  await expect(carer.getByRole('link', { name: 'Back to appointments' })).toBeVisible();

  // Margaret stops David's access while he looks at one of her appointments.
  await apiPost(patient, `/api/v1/carer-consents/${consentId}/revoke`);
  await carer.getByRole('link', { name: 'Back to appointments' }).click();
  await expect(h1(carer)).toHaveText('You cannot see these appointments');
  await expect(carer).toHaveTitle('You cannot see these appointments – Carethread');
  await expect(carer.getByText('They may have stopped your access')).toBeVisible();
  await expectAccessible(carer);
  // The appointment he had open says the same when he goes back to it.
  await carer.goBack();
  await expect(h1(carer)).toHaveText('You cannot see this appointment');

  for (const path of [documents, `${documents}/upload`]) {
    await carer.goto(path);
    await expect(h1(carer)).toHaveText('You cannot see these documents');
    await expect(carer).toHaveTitle('You cannot see these documents – Carethread');
    await expect(carer.getByText('Page not found')).toHaveCount(0);
  }
  await expectAccessible(carer);
  await carer.goto(appointments);
  await expect(h1(carer)).toHaveText('You cannot see these appointments');
  await carer.getByRole('link', { name: 'People you care for' }).last().click();
  await expect(carer.getByRole('link', { name: PATIENT_NAME })).toHaveCount(0);
  await patient.context().close();
  await carer.context().close();
});
