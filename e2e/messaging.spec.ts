import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import {
  attachToMessage,
  expectAccessible,
  PATIENT_P5,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
  watchPolicy,
} from './helpers';

const NURSE_A = 'cardiology.nurses.member1@demo.carethread.test';
const NURSE_A_NAME = 'Olu Adeyemi';
const NURSE_B = 'cardiology.nurses.member2@demo.carethread.test';
const CONSULTANT = 'cardiology.consultants.member1@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const inboxViews = (page: Page) => page.getByRole('navigation', { name: 'Inbox views' });

async function openCardiologyInbox(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await expect(h1(page)).toContainText('Team inbox');
  await expect(h1(page)).toContainText(/Cardiology (Nurses|Consultants)/);
}

test('a patient’s message is worked by the team, escalated, answered, archived and reopened', async ({
  browser,
}) => {
  const subject = `Dizzy since my new tablets ${Date.now().toString(36)}`;
  const thread = (page: Page) => page.getByRole('list', { name: 'Messages, oldest first' });

  // The patient writes to Cardiology Nurses; Cardiology Consultants is never offered (M1).
  const patient = await personPage(browser, PATIENT_P9);
  const policy = watchPolicy(patient);
  await expect(h1(patient)).toContainText('Your messages');
  await expectAccessible(patient);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await expect(h1(patient)).toHaveText('Send a new message');
  await expect(h1(patient)).toBeFocused();
  await expect(patient).toHaveTitle('Send a new message – Carethread');
  const who = patient.getByRole('group', { name: 'Who do you want to send your message to?' });
  await expect(who.getByRole('checkbox', { name: 'Cardiology Nurses' })).toBeVisible();
  await expect(who.getByRole('checkbox', { name: 'PALS' })).toBeVisible();
  await expect(who.getByText('Cardiology Consultants')).toHaveCount(0);
  await expect(patient.getByText('Cardiology Consultants')).toHaveCount(0);
  await expectAccessible(patient);

  await patient.getByRole('button', { name: 'Send message' }).click();
  const summary = patient.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Select who you want to send your message to');
  await expect(summary).toContainText('Enter a subject');
  await expect(summary).toContainText('Enter your message');
  await expect(patient).toHaveTitle('Error: Send a new message – Carethread');
  await expectAccessible(patient);

  await who.getByRole('checkbox', { name: 'Cardiology Nurses' }).check();
  await patient.getByLabel('Subject').fill(subject);
  await patient
    .getByLabel('Your message')
    .fill('Hello,\nI have felt dizzy since I started the new tablets.\n<b>Not bold</b>');
  await expect(patient.getByText(/You have 9,9\d\d characters remaining/)).toBeVisible();
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);
  await expect(patient.getByRole('alert')).toContainText(
    'Your message has been sent to Cardiology Nurses',
  );
  const firstMessage = thread(patient).getByRole('listitem').first();
  await expect(firstMessage).toContainText('I have felt dizzy');
  // Plain text: markup shows as typed, and line breaks are kept.
  await expect(firstMessage).toContainText('<b>Not bold</b>');
  await expect(firstMessage.locator('b')).toHaveCount(0);
  await expect(firstMessage.locator('.app-message__body')).toHaveCSS('white-space', 'pre-wrap');
  await expectAccessible(patient);
  // Back to their list: an open thread would show (and so read) the reply as it arrives.
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await expect(h1(patient)).toContainText('Your messages');

  // Nurse A finds it in Unassigned, with how long the patient has waited, and claims it.
  const nurseA = await personPage(browser, NURSE_A);
  await openCardiologyInbox(nurseA);
  await expect(
    inboxViews(nurseA).getByRole('link', { name: /^Unassigned \(\d+\)$/ }),
  ).toHaveAttribute('aria-current', 'page');
  const rowA = nurseA.getByRole('row', { name: new RegExp(subject) });
  await expect(rowA).toContainText('Margaret Thompson');
  await expect(rowA).toContainText(/Waiting (less than a minute|\d+ minutes?)/);
  await expect(rowA).toContainText('Not assigned');
  await expectAccessible(nurseA);
  await rowA.getByRole('link', { name: subject }).click();
  await expect(h1(nurseA)).toContainText(subject);
  await expect(nurseA.getByText('Not assigned')).toBeVisible();
  // Staff see a second identifier before giving advice (the patient never does).
  await expect(nurseA.getByText('NHS number: 999 000 0018')).toBeVisible();
  await expect(nurseA.getByText('Date of birth: 12 March 1941')).toBeVisible();
  // Opened from the team inbox, the menu shows the team inbox, not "My conversations".
  const menuA = nurseA.getByRole('navigation', { name: 'Menu' });
  await expect(menuA.getByRole('link', { name: 'Team inbox' })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await expect(menuA.getByRole('link', { name: 'My conversations' })).not.toHaveAttribute(
    'aria-current',
  );
  await expectAccessible(nurseA);
  await nurseA.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurseA.getByRole('alert')).toContainText('assigned to you');
  await expect(nurseA.getByText('Assigned to you', { exact: true })).toBeVisible();
  await expect(nurseA.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  const threadUrl = nurseA.url();

  // Nurse B sees who has it under Assigned to others (W2: only within the team).
  const nurseB = await personPage(browser, NURSE_B);
  await openCardiologyInbox(nurseB);
  await expect(nurseB.getByRole('row', { name: new RegExp(subject) })).toHaveCount(0);
  await inboxViews(nurseB)
    .getByRole('link', { name: /^Assigned to others/ })
    .click();
  await expect(nurseB.getByRole('heading', { level: 2, name: 'Assigned to others' })).toBeVisible();
  const othersTable = nurseB.getByRole('table', { name: 'Conversations assigned to others' });
  const rowB = othersTable.getByRole('row', { name: new RegExp(subject) });
  await expect(rowB).toContainText(`Assigned to ${NURSE_A_NAME}`);
  await expect(
    rowB.getByRole('link', { name: 'Only this patient (Margaret Thompson)', exact: true }),
  ).toBeVisible();
  await expectAccessible(nurseB);

  // Nurse A brings in Cardiology Consultants, offered first as second line (M2).
  await nurseA.getByRole('link', { name: 'Add people' }).click();
  await expect(h1(nurseA)).toContainText('Add people to the conversation');
  const suggestion = nurseA.getByRole('row', { name: /Cardiology Consultants/ }).first();
  await expect(suggestion).toContainText('Second line');
  await expectAccessible(nurseA);
  await suggestion.getByRole('button', { name: 'Add Cardiology Consultants' }).click();
  // Adding shares the whole history (M3), so it is confirmed first.
  await expect(h1(nurseA)).toContainText('Add Cardiology Consultants to this conversation?');
  await expect(h1(nurseA)).toBeFocused();
  await nurseA.getByRole('button', { name: 'Yes, add Cardiology Consultants' }).click();
  await expect(h1(nurseA)).toContainText(subject);
  await expect(nurseA.getByRole('alert')).toContainText(
    'Cardiology Consultants has been added to the conversation',
  );
  await expect(nurseA.getByRole('list', { name: 'People in this conversation' })).toContainText(
    'Cardiology Consultants',
  );
  await expectAccessible(nurseA);

  // A consultant sees the whole history and replies.
  const consultant = await personPage(browser, CONSULTANT);
  await openCardiologyInbox(consultant);
  await consultant.getByRole('link', { name: subject }).click();
  await expect(h1(consultant)).toContainText(subject);
  await expect(thread(consultant)).toContainText('I have felt dizzy');
  await expectAccessible(consultant);
  await consultant
    .getByLabel('Your reply')
    .fill('Please stop the new tablets.\nI will call you today.');
  await consultant.getByRole('button', { name: 'Send reply' }).click();
  // Focus goes to the success message by the thread, so a screen reader hears it.
  const consultantSent = consultant.getByRole('alert').filter({
    hasText: 'Your reply has been sent',
  });
  await expect(consultantSent).toBeVisible();
  await expect(consultantSent).toBeFocused();
  await expect(thread(consultant).getByRole('listitem')).toHaveCount(2);
  await expect(thread(consultant).getByRole('listitem').last()).toContainText('You');

  // The patient's list shows the reply without a reload, marked new, and the progress in
  // plain words.
  const patientRow = patient.getByRole('row', { name: new RegExp(subject) });
  await expect(patientRow).toContainText('Replied');
  await expect(patientRow).toContainText('Cardiology');
  await expect(patientRow).toContainText('New');
  await expect(patientRow).not.toContainText(NURSE_A_NAME);
  await expectAccessible(patient);
  await patientRow.getByRole('link', { name: subject }).click();
  await expect(thread(patient)).toContainText('Please stop the new tablets.');
  await expect(patient.getByText(`Assigned to`)).toHaveCount(0);
  await expect(patient.getByText('NHS number')).toHaveCount(0);
  await expect(patient.getByText('Date of birth')).toHaveCount(0);
  await expectAccessible(patient);

  // Nurse A archives it (marks it complete); it leaves the team's active views.
  await nurseA.goto(threadUrl);
  await nurseA.getByRole('button', { name: 'Archive' }).click();
  await expect(h1(nurseA)).toContainText('Team inbox');
  await expect(nurseA.getByRole('alert')).toContainText('has been archived for Cardiology Nurses');
  await expect(nurseA.getByRole('row', { name: new RegExp(subject) })).toHaveCount(0);
  await inboxViews(nurseA)
    .getByRole('link', { name: /^Archived/ })
    .click();
  await expect(nurseA.getByRole('row', { name: new RegExp(subject) })).toBeVisible();
  await expectAccessible(nurseA);

  // The patient writes again: it is back in Unassigned for every nurse (W5).
  await patient.getByLabel('Your reply').fill('Thank you. Should I still take my other tablets?');
  await patient.getByRole('button', { name: 'Send reply' }).click();
  const patientSent = patient.getByRole('alert').filter({ hasText: 'Your reply has been sent' });
  await expect(patientSent).toBeVisible();
  await expect(patientSent).toBeFocused();
  await expect(thread(patient).getByRole('listitem')).toHaveCount(3);

  for (const nurse of [nurseA, nurseB]) {
    await nurse.goto('/inbox');
    await expect(inboxViews(nurse).getByRole('link', { name: /^Unassigned/ })).toHaveAttribute(
      'aria-current',
      'page',
    );
    const row = nurse.getByRole('row', { name: new RegExp(subject) });
    await expect(row).toBeVisible();
    await expect(row).toContainText('Not assigned');
  }

  // The patient can see who has read their record.
  await patient.goto('/');
  await patient.getByRole('link', { name: 'Who has seen my record' }).click();
  await expect(h1(patient)).toHaveText('Who has seen my record');
  await expect(patient.getByRole('table')).toBeVisible();
  // The nurses opened her conversation many times while working it: each visit is one row,
  // naming the conversation, with how many times.
  await expect(
    patient
      .getByRole('row', { name: new RegExp(`Read a conversation: “${subject}”`) })
      .filter({ hasText: /\d+ times, the first/ })
      .first(),
  ).toBeVisible();
  await expectAccessible(patient);

  expect(policy.external).toEqual([]);
  expect(policy.csp).toEqual([]);
});

test('staff with record access read, join and start conversations from the record (C3)', async ({
  browser,
}) => {
  const subject = `Parking at the hospital ${Date.now().toString(36)}`;
  // The patient writes to PALS: Cardiology Nurses look after her but are not in it.
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/messages/new');
  await patient.getByRole('checkbox', { name: 'PALS' }).check();
  await patient.getByLabel('Subject').fill(subject);
  await patient.getByLabel('Your message').fill('Where can I park for my appointment?');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);

  const nurse = await personPage(browser, NURSE_B);
  await openCardiologyInbox(nurse);
  await expect(nurse.getByRole('row', { name: new RegExp(subject) })).toHaveCount(0);
  // Nurses reach the record from any conversation with her; here, straight by its address.
  const conversationId = new URL(patient.url()).pathname.split('/')[2] ?? '';
  const detail = (await (
    await patient.request.get(`/api/v1/conversations/${conversationId}`)
  ).json()) as { patient: { id: string } };
  await nurse.goto(`/patients/${detail.patient.id}`);
  await expect(h1(nurse)).toContainText('Margaret Thompson');
  await expect(nurse.getByText('999 000 0018')).toBeVisible();
  const recordRow = nurse.getByRole('row', { name: new RegExp(subject) });
  await expect(recordRow).toContainText('PALS');
  await expect(recordRow.getByRole('button', { name: `Join ${subject}` })).toBeVisible();
  await expectAccessible(nurse);

  // Read-only until they join.
  await recordRow.getByRole('link', { name: `Read ${subject}` }).click();
  await expect(h1(nurse)).toContainText(subject);
  await expect(
    nurse.getByText('You are reading this conversation but not taking part in it'),
  ).toBeVisible();
  await expect(nurse.getByLabel('Your reply')).toHaveCount(0);
  await expect(nurse.getByRole('list', { name: 'Messages, oldest first' })).toContainText(
    'Where can I park',
  );
  await expectAccessible(nurse);
  await nurse.getByRole('button', { name: 'Join conversation' }).click();
  await expect(nurse.getByRole('alert')).toContainText('You have joined this conversation');
  await expect(
    nurse.getByText('You are reading this conversation but not taking part in it'),
  ).toHaveCount(0);
  await expect(nurse.getByLabel('Your reply')).toBeVisible();
  await expectAccessible(nurse);

  // Start a new conversation from the record.
  await nurse.getByRole('link', { name: 'Margaret Thompson' }).click();
  await expect(h1(nurse)).toContainText('Margaret Thompson');
  await nurse.getByRole('link', { name: 'Start a conversation' }).click();
  await expect(h1(nurse)).toContainText('Start a conversation');
  await expectAccessible(nurse);
  const started = `Your clinic appointment ${Date.now().toString(36)}`;
  await nurse.getByLabel('Subject').fill(started);
  await nurse.getByLabel('Message').fill('Please bring your tablets to your next appointment.');
  // A file goes with it: it uploads into her record at once, and the message names it.
  await attachToMessage(nurse, {
    name: 'car-park-map.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  });
  await expectAccessible(nurse);
  await nurse.getByRole('button', { name: 'Send message' }).click();
  await expect(nurse.getByRole('alert')).toContainText('Your message has been sent to');
  const nurseThread = nurse.getByRole('list', { name: 'Messages, oldest first' });
  await expect(nurseThread).toContainText('Please bring your tablets');
  await expect(
    nurseThread.getByRole('link', { name: 'car-park-map.png', exact: true }),
  ).toBeVisible();
  await expectAccessible(nurse);

  await nurse
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'My conversations' })
    .click();
  await expect(h1(nurse)).toContainText('My conversations');
  await expect(nurse.getByRole('row', { name: new RegExp(started) })).toBeVisible();
  await expectAccessible(nurse);

  // The patient sees the team's new conversation, with its file.
  await patient.goto('/');
  const startedRow = patient.getByRole('row', { name: new RegExp(started) });
  await expect(startedRow).toContainText('New');
  await startedRow.getByRole('link', { name: new RegExp(started) }).click();
  await expect(h1(patient)).toContainText(started);
  await expect(
    patient
      .getByRole('list', { name: 'Messages, oldest first' })
      .getByRole('link', { name: 'car-park-map.png', exact: true }),
  ).toBeVisible();
});

test('a P5 patient cannot reach messaging and is asked to verify', async ({ page }) => {
  await signIn(page, PATIENT_P5);
  await expect(page.getByRole('link', { name: 'Send a new message' })).toHaveCount(0);
  await page.goto('/messages/new');
  await expect(h1(page)).toHaveText('Verify your identity');
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expectAccessible(page);
  await page.goto('/access-log');
  await expect(h1(page)).toHaveText('Verify your identity');
});

test('patients cannot open staff pages', async ({ page }) => {
  await signIn(page, PATIENT_P9);
  await page.goto('/inbox');
  await expect(h1(page)).toHaveText('Page not found');
});

test('a patient removes a message she sent in error; the thread says so and no longer shows it (decision 0021)', async ({
  browser,
}) => {
  const subject = `Wrong message ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'These are my neighbour’s results');
  await patient.getByRole('link', { name: /Sent in error\?/ }).click();
  await expect(patient.getByRole('heading', { level: 1 })).toContainText(
    'Remove a message sent in error',
  );
  await expect(patient.getByText('These are my neighbour’s results')).toBeVisible();
  // A patient's own hint: no talk of other patients, which is for staff.
  await expect(
    patient.getByText('For example, you sent it to the wrong team or wrote the wrong thing.'),
  ).toBeVisible();
  await expect(patient.getByText(/another patient/)).toHaveCount(0);
  await patient.getByRole('button', { name: 'Remove the message' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText(
    'Say why it was sent in error',
  );
  await expectAccessible(patient);
  await patient.getByLabel('Why was it sent in error?').fill('I sent the wrong results');
  await patient.getByRole('button', { name: 'Remove the message' }).click();

  await expect(patient.getByRole('heading', { level: 1 })).toContainText(subject);
  const thread = patient.getByRole('list', { name: 'Messages, oldest first' });
  await expect(thread).toContainText('because it was sent in error');
  await expect(thread).not.toContainText('neighbour’s results');
  await expect(patient.getByRole('link', { name: /Sent in error\?/ })).toHaveCount(0);
  await expectAccessible(patient);
});
