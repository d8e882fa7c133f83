import { expect, test, type Page, type Route } from '@playwright/test';
import { makeDicomStudyZip, makePng, makeScannedPdf, sha256 } from './fixtures/documents';
import {
  attachToMessage,
  expectAccessible,
  PATIENT_P9,
  personPage,
  watchPolicy,
  writeNewMessage,
} from './helpers';

const RECORDS_MEMBER = 'records.member1@demo.carethread.test';
const PATIENT_NAME = 'Margaret Thompson';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function patientIdOf(page: Page): Promise<string> {
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    user: { patientId: string };
  };
  return session.user.patientId;
}

interface DocumentJson {
  id: string;
  status: string;
  sizeBytes: number | null;
  sha256: string | null;
}

/** Uploads on the page and waits until the page says the document is in the record. */
async function uploadAndWait(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
  title: string,
): Promise<void> {
  await uploadOnPage(page, file, title);
  await expect(page.getByText(`${title} has been added to the record`)).toBeVisible({
    timeout: 30_000,
  });
}

async function uploadOnPage(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
  title: string,
): Promise<void> {
  await page.getByLabel('Choose a file').setInputFiles(file);
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Upload document' }).click();
}

test('Medical Records uploads a scanned PDF and a zipped study; the patient sees both, with the study summary and a preview (issue 7)', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const notesTitle = `Scanned clinic notes ${stamp}`;
  const studyTitle = `CT chest study ${stamp}`;
  const pdf = await makeScannedPdf('Cardiology clinic notes, 2019');
  const study = await makeDicomStudyZip({
    modality: 'CT',
    studyDate: '20260303',
    studyDescription: 'CT CHEST WITH CONTRAST',
    series: 2,
    imagesPerSeries: 3,
  });

  const patient = await personPage(browser, PATIENT_P9);
  const patientPolicy = watchPolicy(patient);
  const patientId = await patientIdOf(patient);

  // Medical Records has a care relationship with the demo patients (C2).
  const records = await personPage(browser, RECORDS_MEMBER);
  const recordsPolicy = watchPolicy(records);
  await records.goto(`/patients/${patientId}`);
  await expect(h1(records)).toContainText(PATIENT_NAME);
  await records.getByRole('link', { name: 'Upload a document' }).click();
  await expect(h1(records)).toContainText('Upload a document');
  await expect(records.getByText('You are uploading for Medical Records.')).toBeVisible();
  await expectAccessible(records);

  // Nothing chosen: a clear error, nothing uploaded.
  await records.getByRole('button', { name: 'Upload document' }).click();
  await expect(records.getByRole('alert')).toContainText('Choose a file to upload');
  await expectAccessible(records);

  await uploadAndWait(
    records,
    { name: 'clinic-notes.pdf', mimeType: 'application/pdf', buffer: pdf },
    notesTitle,
  );
  await expectAccessible(records);

  await records.getByRole('button', { name: 'Upload another document' }).click();
  await uploadAndWait(
    records,
    { name: 'ct-chest.zip', mimeType: 'application/zip', buffer: study },
    studyTitle,
  );

  // The record lists both, newest first, checked.
  await records.getByRole('link', { name: 'Back to the documents' }).first().click();
  await expect(h1(records)).toContainText(PATIENT_NAME);
  const recordRows = records.getByRole('row').filter({ hasText: stamp });
  await expect(recordRows).toHaveCount(2);
  await expect(recordRows.nth(0)).toContainText(studyTitle);
  await expect(recordRows.nth(0)).toContainText('Imaging study');
  await expect(recordRows.nth(1)).toContainText(notesTitle);
  await expect(recordRows.nth(1)).toContainText('Ready');
  await expectAccessible(records);

  // The patient finds both under "Your documents".
  await patient.goto('/');
  await patient.getByRole('link', { name: 'Your documents' }).click();
  await expect(h1(patient)).toContainText('Your documents');
  const rows = patient.getByRole('row').filter({ hasText: stamp });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Medical Records');
  await expectAccessible(patient);

  // The study: its summary from the DICOM headers.
  await patient.getByRole('link', { name: studyTitle }).click();
  await expect(h1(patient)).toContainText(studyTitle);
  const summary = patient.getByRole('region', { name: 'Imaging study' });
  await expect(summary.getByRole('definition').nth(0)).toHaveText('CT scan (CT)');
  await expect(summary).toContainText('3 March 2026');
  await expect(summary).toContainText('CT CHEST WITH CONTRAST');
  await expect(summary.getByRole('definition').nth(3)).toHaveText('2');
  await expect(summary.getByRole('definition').nth(4)).toHaveText('6');
  await expectAccessible(patient);

  // The notes: a preview drawn in the page, with its text alternative, and the download.
  await patient.getByRole('link', { name: 'Back to your documents' }).click();
  await patient.getByRole('link', { name: notesTitle }).click();
  await expect(h1(patient)).toContainText(notesTitle);
  await expect(patient.getByText(`The only page of ${notesTitle}`)).toBeVisible({
    timeout: 20_000,
  });
  await expect(patient.locator('canvas.app-preview__page')).toHaveCount(1);
  await patient.getByText('Text of the pages shown').click();
  await expect(patient.getByText('Cardiology clinic notes, 2019')).toBeVisible();
  await expectAccessible(patient);
  const downloading = patient.waitForEvent('download');
  await patient.getByRole('link', { name: new RegExp(`^Download ${notesTitle}`) }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('clinic-notes.pdf');

  expect(recordsPolicy.csp).toEqual([]);
  expect(recordsPolicy.external).toEqual([]);
  expect(patientPolicy.csp).toEqual([]);
  expect(patientPolicy.external).toEqual([]);
});

test('an upload resumes after the connection drops half-way and completes with the right size and SHA-256', async ({
  browser,
}) => {
  const title = `Discharge letter ${Date.now().toString(36)}`;
  // Three chunks of 5 MB: the connection is lost while the second one is on its way.
  const pdf = await makeScannedPdf('Discharge letter', 12 * 1024 * 1024);
  const patient = await personPage(browser, PATIENT_P9);
  const policy = watchPolicy(patient);
  const context = patient.context();

  const uploadRequests: { method: string; offset: string | null }[] = [];
  patient.on('request', (request) => {
    if (!request.url().includes('/api/v1/uploads')) return;
    uploadRequests.push({
      method: request.method(),
      offset: request.headers()['upload-offset'] ?? null,
    });
  });
  let patches = 0;
  let releaseHeld: (route: Route) => void = () => undefined;
  const held = new Promise<Route>((resolve) => (releaseHeld = resolve));
  await patient.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH' && ++patches === 2) return releaseHeld(route);
    await route.continue();
  });

  await patient.goto('/documents/upload');
  await expect(h1(patient)).toContainText('Upload a document');
  await expectAccessible(patient);
  await uploadOnPage(
    patient,
    { name: 'discharge-letter.pdf', mimeType: 'application/pdf', buffer: pdf },
    title,
  );

  const route = await held;
  await context.setOffline(true);
  await route.abort('internetdisconnected');
  await expect(
    patient.getByText(/Connection lost — we’ll carry on when you’re back online/),
  ).toBeVisible();
  const progress = patient.getByRole('progressbar', { name: /Uploading discharge-letter\.pdf/ });
  const value = Number(await progress.getAttribute('value'));
  expect(value).toBeGreaterThan(0);
  expect(value).toBeLessThan(100);
  await expectAccessible(patient);

  await patient.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
  await expect(patient.getByText(`${title} has been added to the record`)).toBeVisible({
    timeout: 60_000,
  });

  // Resumed, not started again: one creation, then HEAD and the rest from the server's offset.
  expect(uploadRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
  const resumed = uploadRequests.slice(uploadRequests.findIndex((r) => r.method === 'HEAD'));
  expect(resumed.find((r) => r.method === 'PATCH')?.offset).toBe(String(5 * 1024 * 1024));

  const documentId = new URL(
    (await patient.getByRole('link', { name: 'View the document' }).getAttribute('href')) ?? '',
    'http://localhost',
  ).pathname.split('/')[2];
  const document = (await (
    await patient.request.get(`/api/v1/documents/${documentId}`)
  ).json()) as DocumentJson;
  expect(document.status).toBe('available');
  expect(document.sizeBytes).toBe(pdf.length);
  expect(document.sha256).toBe(sha256(pdf));
  expect(policy.csp).toEqual([]);
});

test('a new message and a reply carry attached files; the thread shows them with their downloads (issue 7)', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const subject = `Photo of my rash ${stamp}`;
  const patient = await personPage(browser, PATIENT_P9);
  const policy = watchPolicy(patient);
  const thread = patient.getByRole('list', { name: 'Messages, oldest first' });

  // A new message: the file uploads into her record first, then the message names it.
  await writeNewMessage(patient, 'Medical Records', subject, 'My referral letter is attached.');

  // The wrong file first: Remove withdraws it, so it never reaches the record (decision 0019).
  const wrongName = `wrong-photo-${stamp}.png`;
  const created = patient.waitForResponse(
    (r) => r.url().endsWith('/api/v1/uploads') && r.request().method() === 'POST',
  );
  await attachToMessage(patient, { name: wrongName, mimeType: 'image/png', buffer: makePng(8, 8) });
  const wrongId = (await (await created).headerValue('location'))?.split('/').pop() ?? '';
  await patient.getByRole('button', { name: `Remove ${wrongName}` }).click();
  await expect(patient.getByRole('list', { name: 'Files attached to your message' })).toHaveCount(
    0,
  );
  const wrong = (await (await patient.request.get(`/api/v1/documents/${wrongId}`)).json()) as {
    status: string;
  };
  expect(wrong.status).toBe('withdrawn');

  await attachToMessage(patient, {
    name: 'referral.pdf',
    mimeType: 'application/pdf',
    buffer: await makeScannedPdf('Referral'),
  });
  await expectAccessible(patient);
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);
  await expect(thread.getByRole('link', { name: 'referral.pdf', exact: true })).toBeVisible();

  // A reply with a picture. The file input shows the NHS.UK yellow focus ring.
  const replyFile = patient.getByLabel('Attach a file (optional)');
  await replyFile.focus();
  await expect(replyFile).toHaveCSS('outline-color', 'rgb(255, 235, 59)');
  await expect(replyFile).toHaveCSS('outline-width', '4px');
  await attachToMessage(patient, {
    name: 'rash.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  });
  await patient.getByLabel('Your reply').fill('Here is the photo.');
  await patient.getByRole('button', { name: 'Send reply' }).click();
  await expect(patient.getByText('Your reply has been sent')).toBeVisible();

  const replyFiles = thread.getByRole('listitem').filter({ hasText: 'Here is the photo.' });
  await expect(replyFiles.getByRole('link', { name: 'rash.png', exact: true })).toBeVisible();
  await expect(replyFiles.getByRole('link', { name: 'Download rash.png' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(thread.getByRole('link', { name: 'Download referral.pdf' })).toBeVisible();
  await expectAccessible(patient);
  const threadUrl = patient.url();

  // Her documents: what she sent is in the record; the file she removed is not.
  await patient.goto('/');
  await patient.getByRole('link', { name: 'Your documents' }).click();
  await expect(patient.getByRole('link', { name: 'rash.png', exact: true }).first()).toBeVisible();
  await expect(patient.getByText(wrongName)).toHaveCount(0);
  await patient.goto(threadUrl);

  // Its page previews the picture from its bytes, with alternative text.
  await replyFiles.getByRole('link', { name: 'rash.png', exact: true }).click();
  await expect(patient.getByRole('img', { name: 'Preview of rash.png' })).toBeVisible({
    timeout: 20_000,
  });
  await expectAccessible(patient);
  expect(policy.csp).toEqual([]);
  expect(policy.external).toEqual([]);
});

test('Medical Records removes a letter added to the wrong record; the patient sees only that it was removed', async ({
  browser,
}) => {
  const title = `Letter for another patient ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  const patientId = await patientIdOf(patient);
  const records = await personPage(browser, RECORDS_MEMBER);
  await records.goto(`/patients/${patientId}/documents/upload`);
  await uploadAndWait(
    records,
    { name: 'letter.pdf', mimeType: 'application/pdf', buffer: await makeScannedPdf('Letter') },
    title,
  );
  await records.getByRole('link', { name: 'View the document' }).click();
  await expect(h1(records)).toContainText(title);
  await expect(records.getByText('Ready')).toBeVisible({ timeout: 20_000 });

  await records.getByRole('link', { name: 'Remove this document (added in error)' }).click();
  await expect(h1(records)).toContainText('Remove a document added in error');
  await expectAccessible(records);
  await records.getByRole('button', { name: 'Remove it from the record' }).click();
  await expect(records.locator('.nhsuk-error-summary')).toContainText(
    'Say why it was added in error',
  );
  await records
    .getByLabel('Why was it added in error?')
    .fill('This letter is about another patient');
  await records.getByRole('button', { name: 'Remove it from the record' }).click();
  await expect(h1(records)).toContainText('Removed: added in error');
  await expect(records.getByText(/because it was added in error/)).toBeVisible();
  await expectAccessible(records);

  // The patient's documents: a removed document, not its name.
  await patient.goto('/');
  await patient.getByRole('link', { name: 'Your documents' }).click();
  await expect(
    patient.getByRole('link', { name: 'Removed: added in error' }).first(),
  ).toBeVisible();
  await expect(patient.getByText(title)).toHaveCount(0);
});

test('a file that is not the type its name says is not accepted, and the record says why', async ({
  browser,
}) => {
  const title = `Not really a PDF ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/documents/upload');
  await uploadOnPage(
    patient,
    {
      name: 'results.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
    },
    title,
  );
  const outcome = patient.getByRole('status').filter({ hasText: 'The file was not added' });
  await expect(outcome).toContainText('Not accepted: the file is not the type its name says', {
    timeout: 30_000,
  });
  await expectAccessible(patient);

  await patient.getByRole('link', { name: 'Back to your documents' }).first().click();
  const row = patient.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Not accepted: the file is not the type its name says');
  await row.getByRole('link', { name: title }).click();
  await expect(patient.getByText('This file cannot be opened or downloaded.')).toBeVisible();
  await expect(patient.getByRole('link', { name: /^Download/ })).toHaveCount(0);
  await expectAccessible(patient);
});

test('a carer with message consent sees and adds documents in the record of the person they care for (C1)', async ({
  browser,
}) => {
  const title = `Care plan ${Date.now().toString(36)}`;
  const carer = await personPage(browser, 'aisha.khan@demo.carethread.test');
  const policy = watchPolicy(carer);
  await carer.getByRole('link', { name: 'People you care for' }).click();
  await carer.getByRole('link', { name: 'George Williams' }).click();
  await carer.getByRole('link', { name: 'George Williams’s documents' }).click();
  await expect(h1(carer)).toContainText('George Williams’s documents');
  await expectAccessible(carer);

  await carer.getByRole('link', { name: 'Upload a document for George Williams' }).click();
  await expect(h1(carer)).toContainText('Upload a document');
  await uploadAndWait(
    carer,
    { name: 'care-plan.pdf', mimeType: 'application/pdf', buffer: await makeScannedPdf('Plan') },
    title,
  );
  await carer.getByRole('link', { name: 'Back to the documents' }).first().click();
  const row = carer.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Aisha Khan');
  await expect(row).toContainText('Ready');
  await expectAccessible(carer);
  expect(policy.csp).toEqual([]);
});
