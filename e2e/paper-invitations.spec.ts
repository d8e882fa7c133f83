import { expect, test, type Page } from '@playwright/test';
import {
  apiPost,
  expectAccessible,
  expectInvitationCodeRefused,
  openRecord,
  personPage,
} from './helpers';

// Margaret Thompson: looked after by the demo's Cardiology Nurses. David Jones is a P9 patient.
const NHS_NUMBER = '9990000018';
const PATIENT = 'Margaret Thompson';
const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const CARER = 'david.jones@demo.carethread.test';
const CARER_NAME = 'David Jones';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('staff cancel an invitation recorded from a paper form after confirming, and its code no longer works (C1)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE);
  const recordUrl = await openRecord(nurse, NHS_NUMBER, PATIENT);
  const patientId = new URL(recordUrl).pathname.split('/')[2] ?? '';

  // The nurse records Margaret's signed paper form (there is no page for it yet: the API).
  const email = `lost-letter-${Date.now().toString(36)}@example.test`;
  const session = (await (await nurse.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
  };
  const recorded = await nurse.request.post('/api/v1/carer-invitations', {
    headers: { 'x-csrf-token': session.csrfToken },
    data: { email, level: 'view', patientId, witnessedBy: 'Ward clerk' },
  });
  expect(recorded.status()).toBe(201);
  const { code } = (await recorded.json()) as { code: string };

  // The record lists it as waiting, with a way to cancel it.
  await nurse.reload();
  const section = nurse.getByRole('region', { name: 'Carer invitations from paper forms' });
  const row = section.getByRole('row', { name: new RegExp(email) });
  await expect(row).toContainText('View messages');
  await expectAccessible(nurse);

  // A confirmation first; backing out keeps it.
  await row.getByRole('link', { name: `Cancel invitation to ${email}` }).click();
  await expect(h1(nurse)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );
  await expect(h1(nurse)).toBeFocused();
  await expect(nurse).toHaveTitle(`Cancel the invitation to ${email} – Carethread`);
  await expect(nurse.getByText('The code will stop working')).toBeVisible();
  await expectAccessible(nurse);
  await nurse.getByRole('link', { name: 'No, keep the invitation' }).click();
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(row).toBeVisible();

  await row.getByRole('link', { name: `Cancel invitation to ${email}` }).click();
  await nurse.getByRole('button', { name: 'Yes, cancel the invitation' }).click();
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(nurse.getByRole('alert')).toContainText(
    `The invitation to ${email} has been cancelled`,
  );
  await expect(section.getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  await expectAccessible(nurse);
  await nurse.context().close();

  // The code now meets the same refusal as an expired or used one.
  const carer = await personPage(browser, CARER);
  await expectInvitationCodeRefused(carer, code);
  await expectAccessible(carer);
  await carer.context().close();
});

test('recording the same paper form again while its invitation waits is refused on the email field, and makes no second code (C1)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE);
  const recordUrl = await openRecord(nurse, NHS_NUMBER, PATIENT);
  const email = `second-try-${Date.now().toString(36)}@example.test`;
  const section = nurse.getByRole('region', { name: 'Carer invitations from paper forms' });

  const recordForm = async () => {
    await nurse.goto(recordUrl);
    await nurse.getByRole('link', { name: 'Record consent from a paper form' }).click();
    await expect(h1(nurse)).toContainText('Record consent from a paper form');
    await nurse.getByLabel('Carer’s email address').fill(email);
    await nurse.getByLabel('View messages', { exact: true }).check();
    await nurse.getByLabel(`Who witnessed ${PATIENT} sign the form?`).fill('Ward clerk');
    await nurse.getByRole('button', { name: 'Record consent' }).click();
  };
  await recordForm();
  await expect(h1(nurse)).toContainText('Give the carer this code');

  // The code page was lost (another tab, a Back): the same form again is refused.
  await recordForm();
  const summary = nurse.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  const waiting = 'An invitation to this email address is already waiting to be accepted';
  await expect(summary.getByRole('link', { name: new RegExp(waiting) })).toHaveAttribute(
    'href',
    '#email',
  );
  await expect(nurse.locator('.nhsuk-error-message', { hasText: waiting })).toBeVisible();
  await expect(nurse).toHaveTitle('Error: Record consent from a paper form – Carethread');
  await expectAccessible(nurse);

  // One invitation waits; cancelling it lets staff record the form again.
  await nurse.goto(recordUrl);
  const row = section.getByRole('row', { name: new RegExp(email) });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name: `Cancel invitation to ${email}` }).click();
  await nurse.getByRole('button', { name: 'Yes, cancel the invitation' }).click();
  await expect(section.getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  await recordForm();
  await expect(h1(nurse)).toContainText('Give the carer this code');
  await nurse.context().close();
});

test('a carer who accepts the code while staff are on the confirm page is not cancelled: staff are told so, and how to end their access instead (C1)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE);
  const recordUrl = await openRecord(nurse, NHS_NUMBER, PATIENT);
  const patientId = new URL(recordUrl).pathname.split('/')[2] ?? '';
  const email = `accepted-meanwhile-${Date.now().toString(36)}@example.test`;
  const { code } = await apiPost(nurse, '/api/v1/carer-invitations', {
    email,
    level: 'view',
    patientId,
    witnessedBy: 'Ward clerk',
  });

  // The nurse opens the confirm page for the waiting invitation.
  await nurse.reload();
  const invitations = nurse.getByRole('region', { name: 'Carer invitations from paper forms' });
  await invitations
    .getByRole('row', { name: new RegExp(email) })
    .getByRole('link', { name: `Cancel invitation to ${email}` })
    .click();
  await expect(h1(nurse)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );

  // Meanwhile, in another session, the carer accepts the code.
  const carer = await personPage(browser, CARER);
  await apiPost(carer, '/api/v1/carer-invitations/accept', { code });

  // Confirming now cancels nothing: the page says plainly what has happened and what to do.
  await nurse.getByRole('button', { name: 'Yes, cancel the invitation' }).click();
  const summary = nurse.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(
    `${email} has already accepted this invitation and is now ${PATIENT}’s carer. If ${PATIENT} wants their access to end, go back to ${PATIENT}’s record and choose Record that the patient wants this to end.`,
  );
  await expect(h1(nurse)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );
  await expect(nurse).toHaveTitle(`Error: Cancel the invitation to ${email} – Carethread`);
  await expectAccessible(nurse);

  // The record agrees: a carer now, no invitation waiting; and the way out is where it said.
  await nurse.getByRole('link', { name: `Back to ${PATIENT}` }).click();
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(invitations.getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  await nurse
    .getByRole('region', { name: 'Carers', exact: true })
    .getByRole('link', { name: `Record that the patient wants this to end (${CARER_NAME})` })
    .click();
  await nurse.getByLabel(`Who witnessed ${PATIENT} ask for this?`).fill('Ward clerk');
  await nurse.getByRole('button', { name: `End ${CARER_NAME}’s access` }).click();
  await expect(nurse.getByRole('alert')).toContainText(
    `${CARER_NAME} can no longer see ${PATIENT}’s messages`,
  );
  await nurse.context().close();
  await carer.context().close();
});
