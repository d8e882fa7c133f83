import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import {
  apiPost as api,
  expectAccessible,
  makeCarer,
  PATIENT_P9,
  personPage,
  sendNewMessage,
} from './helpers';

/** Margaret (the demo P9 patient) makes David Jones her carer; George Williams never was. */
const CARER = 'david.jones@demo.carethread.test';
const STRANGER = 'george.williams@demo.carethread.test';
const PATIENT_NAME = 'Margaret Thompson';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a former carer opening a saved link to one conversation, appointment or document is told their access has ended; someone who never cared for her gets "Page not found" (C1)', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const subject = `Her new tablets ${stamp}`;
  const title = `Tablet box ${stamp}`;
  const patient = await personPage(browser, PATIENT_P9);
  const carer = await personPage(browser, CARER);
  const { patientId, consentId } = await makeCarer(patient, carer, CARER);

  // Margaret writes to her nurses and adds a document to her record.
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'Do I take them with food?');
  await patient.goto('/documents/upload');
  await patient.getByLabel('Choose a file').setInputFiles({
    name: `tablet-box-${stamp}.png`,
    mimeType: 'image/png',
    buffer: makePng(32, 24),
  });
  await patient.getByLabel('Title (optional)').fill(title);
  await patient.getByRole('button', { name: 'Upload document' }).click();
  await expect(patient.getByText(`${title} has been added to the record`)).toBeVisible({
    timeout: 30_000,
  });

  // David opens each of them while he is her carer: these are the addresses he keeps.
  await carer.goto(`/cared-for/${patientId}`);
  await carer.getByRole('link', { name: subject }).click();
  await expect(h1(carer)).toContainText(subject);
  const conversation = carer.url();
  await carer.goto(`/cared-for/${patientId}/documents`);
  await carer.getByRole('link', { name: title }).click();
  await expect(h1(carer)).toContainText(title);
  const document = carer.url();
  await carer.goto(`/cared-for/${patientId}/appointments`);
  await carer
    .getByRole('link', { name: /^View appointment on/ })
    .first()
    .click();
  await expect(carer.getByRole('link', { name: 'Back to appointments' })).toBeVisible();
  const appointment = carer.url();

  // Margaret stops his access. Later he opens them again, from a bookmark or by reloading.
  await api(patient, `/api/v1/carer-consents/${consentId}/revoke`);
  const opened = [
    { url: conversation, title: 'You cannot see this conversation' },
    { url: document, title: 'You cannot see this document' },
    { url: appointment, title: 'You cannot see this appointment' },
    { url: `${appointment}/ask-to-change`, title: 'You cannot see this appointment' },
  ];
  for (const page of opened) {
    await carer.goto(page.url);
    await expect(h1(carer)).toHaveText(page.title);
    await expect(carer).toHaveTitle(`${page.title} – Carethread`);
    await expect(carer.getByText('You are not a carer for this person')).toBeVisible();
    await expect(carer.getByText('They may have stopped your access')).toBeVisible();
    await expect(carer.getByText('Page not found')).toHaveCount(0);
    // Nothing of what the page showed: not her name, not the subject or title.
    await expect(carer.locator('main')).not.toContainText(PATIENT_NAME);
    await expect(carer.locator('main')).not.toContainText(subject);
    await expect(carer.locator('main')).not.toContainText(title);
  }
  await carer.reload();
  await expect(h1(carer)).toHaveText('You cannot see this appointment');
  await expectAccessible(carer);
  await carer.goto(conversation);
  await expect(h1(carer)).toHaveText('You cannot see this conversation');
  await expectAccessible(carer);
  // Where to go: the people he cares for now, without her.
  await carer.getByRole('link', { name: 'People you care for' }).last().click();
  await expect(h1(carer)).toHaveText('People you care for');
  await expect(carer.getByRole('link', { name: PATIENT_NAME })).toHaveCount(0);

  // Someone who never cared for her learns nothing from the same links.
  const stranger = await personPage(browser, STRANGER);
  for (const page of opened) {
    await stranger.goto(page.url);
    await expect(h1(stranger)).toHaveText('Page not found');
    await expect(stranger.getByText('You are not a carer for this person')).toHaveCount(0);
  }
  await expectAccessible(stranger);

  await patient.context().close();
  await carer.context().close();
  await stranger.context().close();
});
