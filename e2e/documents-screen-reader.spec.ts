import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import { expectAccessible, personPage, watchFilledLiveRegions } from './helpers';

// Documents as a screen reader meets them: the error summary first in the main content, with
// focus, and live regions that are on the page before they have anything to say.

const PATIENT = 'david.jones@demo.carethread.test';
/** The server's default DOCUMENT_MAX_OUTSTANDING_UPLOADS. */
const OUTSTANDING_UPLOADS = 20;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** The patient's own tus calls, as the page makes them, with the session's CSRF token. */
async function uploadsApi(page: Page) {
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { patientId: string };
  };
  const csrf = { 'X-CSRF-Token': session.csrfToken };
  const metadata = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
      .join(',');
  return {
    patientId: session.user.patientId,
    /** Starts an upload and sends no bytes: the upload's address, or null when refused. */
    start: async (size: number, fields: Record<string, string>) => {
      const response = await page.request.post('/api/v1/uploads', {
        headers: {
          ...csrf,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': String(size),
          'Upload-Metadata': metadata({ patientId: session.user.patientId, ...fields }),
        },
      });
      if (response.status() === 429) return null;
      expect(response.status(), await response.text()).toBe(201);
      return response.headers().location ?? '';
    },
    send: async (location: string, bytes: Buffer) => {
      const response = await page.request.patch(location, {
        headers: {
          ...csrf,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
        },
        data: bytes,
      });
      expect(response.status()).toBe(204);
    },
    get: (documentId: string) => page.request.get(`/api/v1/documents/${documentId}`),
    withdraw: (documentId: string) =>
      page.request.delete(`/api/v1/documents/${documentId}`, { headers: csrf }),
    markAddedInError: (documentId: string) =>
      page.request.post(`/api/v1/documents/${documentId}/entered-in-error`, {
        headers: csrf,
        data: { reason: 'Uploaded to test cancelling' },
      }),
  };
}

/** Whether the page's error summary comes before its h1 in the document. */
const summaryBeforeHeading = (page: Page) =>
  page.evaluate(() => {
    const summary = document.querySelector('.nhsuk-error-summary');
    const heading = document.querySelector('h1');
    return Boolean(
      summary &&
      heading &&
      summary.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

test('upload page: the error summary comes before the h1 and takes focus; too many unfinished uploads is said in plain words', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  await patient.goto('/documents/upload');
  await expect(h1(patient)).toHaveText('Upload a document');

  await patient.getByRole('button', { name: 'Upload document' }).click();
  const summary = patient.locator('.nhsuk-error-summary');
  await expect(summary).toContainText('Choose a file to upload');
  await expect(summary).toBeFocused();
  expect(await summaryBeforeHeading(patient)).toBe(true);
  await expectAccessible(patient);

  // Files chosen for messages never sent, up to the limit: the next upload is refused.
  const drafts: string[] = [];
  try {
    for (let i = 0; i < OUTSTANDING_UPLOADS; i += 1) {
      const location = await api.start(100, { filename: `draft-${i}.png`, purpose: 'message' });
      if (location === null) break;
      drafts.push(location.split('/').pop() ?? '');
    }
    expect(await api.start(100, { filename: 'one-more.png', purpose: 'message' })).toBeNull();
    await patient.getByLabel('Choose a file').setInputFiles({
      name: 'rash.png',
      mimeType: 'image/png',
      buffer: makePng(),
    });
    await patient.getByRole('button', { name: 'Upload document' }).click();
    await expect(summary).toContainText(
      'You have too many uploads that are not finished or files not yet sent with a message',
    );
    await expect(summary).not.toContainText('bytes');
    await expect(summary).toBeFocused();
    expect(await summaryBeforeHeading(patient)).toBe(true);
    await expectAccessible(patient);
  } finally {
    for (const id of drafts) await api.withdraw(id);
  }
  await patient.context().close();
});

test('document page: the status live region is there, empty, before the checks finish, and says so when they do', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const png = makePng(64, 48);
  const location =
    (await api.start(png.length, { filename: 'swelling.png', title: 'Swelling' })) ?? '';
  const documentId = location.split('/').pop() ?? '';

  await patient.goto(`/documents/${documentId}`);
  await expect(h1(patient)).toContainText('Swelling');
  await expect(patient.getByText('Still uploading')).toBeVisible();
  await expectAccessible(patient);
  // Every live region on the page now, marked; and any that appears later with words in it.
  const before = await patient.evaluate(() => {
    const regions = document.querySelectorAll('[role="status"], [aria-live]');
    regions.forEach((region) => region.setAttribute('data-present-before', ''));
    return [...regions].map((region) => region.textContent?.trim() ?? '');
  });
  expect(before).toContain('');
  const filledLiveRegions = await watchFilledLiveRegions(patient);

  await api.send(location, png);
  const announced = patient.locator('[data-present-before]').filter({ hasText: 'Ready' });
  await expect(announced).toHaveCount(1, { timeout: 30_000 });
  await expect(announced).toHaveText('Status changed: Ready');
  expect(await filledLiveRegions()).toEqual([]);
  await expectAccessible(patient);
  await patient.context().close();
});

test('an upload that stopped half-way has Remove for whoever started it; what happened takes focus (C4, decision 0015)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const title = `Unfinished scan ${Date.now().toString(36)}`;
  // Started, and stopped before a byte arrived: the record lists it as "Still uploading".
  const location = (await api.start(5_000, { filename: 'scan.png', title })) ?? '';
  const documentId = location.split('/').pop() ?? '';

  await patient.goto(`/documents/${documentId}`);
  await expect(h1(patient)).toContainText(title);
  await expect(patient.getByText('This file has not finished uploading')).toBeVisible();
  await expect(patient.getByText('We are checking this file')).toHaveCount(0);
  await expectAccessible(patient);

  await patient.goto('/documents');
  const row = patient.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Still uploading');
  const remove = row.getByRole('button', { name: `Remove the unfinished upload ${title}` });
  await expectAccessible(patient);
  await remove.click();

  const banner = patient.getByRole('alert').filter({ hasText: 'has been removed' });
  await expect(banner).toHaveText(/The unfinished upload of .* has been removed/);
  await expect(banner).toBeFocused();
  await expect(patient.getByRole('link', { name: title })).toHaveCount(0);
  await expectAccessible(patient);
  const after = await patient.request.get(`/api/v1/documents/${documentId}`);
  expect(((await after.json()) as { status: string }).status).toBe('withdrawn');
  await patient.context().close();
});

test('Cancel upload stops an upload under way and takes it out of the record; focus goes back to the file field', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const title = `Wrong letter ${Date.now().toString(36)}`;
  // The bytes never arrive: the upload stays under way until it is cancelled.
  let created = '';
  patient.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/api/v1/uploads')) {
      created = response.headers().location?.split('/').pop() ?? '';
    }
  });
  await patient.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    // Held: neither answered nor failed.
  });
  await patient.goto('/documents/upload');
  await patient.getByLabel('Choose a file').setInputFiles({
    name: 'wrong-letter.png',
    mimeType: 'image/png',
    buffer: makePng(),
  });
  await patient.getByLabel('Title (optional)').fill(title);
  await patient.getByRole('button', { name: 'Upload document' }).click();
  const cancel = patient.getByRole('button', { name: 'Cancel upload of wrong-letter.png' });
  await expect(cancel).toBeVisible();
  await expect.poll(() => created).not.toBe('');
  await expectAccessible(patient);

  await cancel.click();
  await expect(patient.getByLabel('Choose a file')).toBeFocused();
  await expect(patient.getByRole('status').filter({ hasText: 'cancelled' })).toHaveText(
    'Upload of wrong-letter.png cancelled',
  );
  await expectAccessible(patient);
  await expect
    .poll(async () => ((await (await api.get(created)).json()) as { status: string }).status)
    .toBe('withdrawn');
  await patient.goto('/documents');
  await expect(h1(patient)).toContainText('Your documents');
  await expect(patient.getByRole('link', { name: title })).toHaveCount(0);
  await patient.context().close();
});

/** Chooses a letter on the upload page and starts uploading it. */
async function startUploading(page: Page, title: string) {
  await page.goto('/documents/upload');
  await page.getByLabel('Choose a file').setInputFiles({
    name: 'wrong-letter.png',
    mimeType: 'image/png',
    buffer: makePng(),
  });
  await page.getByLabel('Title (optional)').fill(title);
  await page.getByRole('button', { name: 'Upload document' }).click();
  const cancel = page.getByRole('button', { name: 'Cancel upload of wrong-letter.png' });
  await expect(cancel).toBeVisible();
  return cancel;
}

const statusOf = async (api: Awaited<ReturnType<typeof uploadsApi>>, documentId: string) =>
  ((await (await api.get(documentId)).json()) as { status: string }).status;

test('Cancel upload after the last bytes arrived says the file is in the record, and links to where it can be removed', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const title = `Late letter ${Date.now().toString(36)}`;
  let created = '';
  patient.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/api/v1/uploads')) {
      created = response.headers().location?.split('/').pop() ?? '';
    }
  });
  // Every byte reaches the server, which finishes the upload; its answer never reaches the page,
  // so the page still shows it under way.
  let delivered = false;
  await patient.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    await route.fetch();
    delivered = true;
  });
  const cancel = await startUploading(patient, title);
  await expect.poll(() => delivered).toBe(true);
  expect(await statusOf(api, created)).not.toBe('uploading');
  const filledLiveRegions = await watchFilledLiveRegions(patient);

  await cancel.click();
  await expect(patient.getByLabel('Choose a file')).toBeFocused();
  const status = patient.getByRole('status').filter({ hasText: 'wrong-letter.png' });
  await expect(status).toContainText('wrong-letter.png had already finished uploading');
  await expect(status).toContainText('it is now in the record');
  await expect(status).not.toContainText('Upload of wrong-letter.png cancelled');
  expect(await filledLiveRegions()).toEqual([]);
  await expectAccessible(patient);

  const toDocument = status.getByRole('link', {
    name: 'go to the document and, once its checks have finished, choose “Remove this document (added in error)”',
  });
  await expect(toDocument).toHaveAttribute('href', `/documents/${created}`);
  await toDocument.click();
  await expect(h1(patient)).toContainText(title);
  await expect(
    patient.getByRole('link', { name: 'Remove this document (added in error)' }),
  ).toBeVisible({ timeout: 30_000 });
  expect((await api.markAddedInError(created)).status()).toBe(200);
  await patient.context().close();
});

test('Cancel upload whose removal fails says so and points to Remove in the documents', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const title = `Unremoved letter ${Date.now().toString(36)}`;
  let created = '';
  patient.on('response', (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/api/v1/uploads')) {
      created = response.headers().location?.split('/').pop() ?? '';
    }
  });
  await patient.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    // Held: neither answered nor failed.
  });
  // The network is gone when the page asks to remove it.
  const removal = '**/api/v1/documents/*';
  await patient.route(removal, (route) =>
    route.request().method() === 'DELETE' ? route.abort('internetdisconnected') : route.continue(),
  );
  const cancel = await startUploading(patient, title);
  await expect.poll(() => created).not.toBe('');

  await cancel.click();
  await expect(patient.getByLabel('Choose a file')).toBeFocused();
  const status = patient.getByRole('status').filter({ hasText: 'wrong-letter.png' });
  await expect(status).toContainText('The upload of wrong-letter.png could not be removed');
  await expect(status).toContainText('choose “Remove” beside it');
  await expect(status).not.toContainText('Upload of wrong-letter.png cancelled');
  await expectAccessible(patient);
  expect(await statusOf(api, created)).toBe('uploading');

  await patient.unroute(removal);
  await status.getByRole('link', { name: 'your documents' }).click();
  await expect(h1(patient)).toContainText('Your documents');
  const row = patient.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText('Still uploading');
  await row.getByRole('button', { name: `Remove the unfinished upload ${title}` }).click();
  await expect(patient.getByRole('alert').filter({ hasText: 'has been removed' })).toBeVisible();
  expect(await statusOf(api, created)).toBe('withdrawn');
  await patient.context().close();
});

test('Cancel upload before the server said which upload it made waits for it and removes it', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT);
  const api = await uploadsApi(patient);
  const title = `Early letter ${Date.now().toString(36)}`;
  // The server makes the upload; its answer, with the address, is held until after Cancel.
  let created = '';
  let answer = () => {};
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await patient.route('**/api/v1/uploads', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    created = response.headers().location?.split('/').pop() ?? '';
    await answered;
    await route.fulfill({ response }).catch(() => undefined);
  });
  const cancel = await startUploading(patient, title);
  await expect.poll(() => created).not.toBe('');
  expect(await statusOf(api, created)).toBe('uploading');

  await cancel.click();
  await expect(patient.getByLabel('Choose a file')).toBeFocused();
  // Nothing is said before anything is known.
  await expect(patient.getByRole('status').filter({ hasText: 'wrong-letter.png' })).toHaveCount(0);
  answer();
  await expect(patient.getByRole('status').filter({ hasText: 'cancelled' })).toHaveText(
    'Upload of wrong-letter.png cancelled',
  );
  await expect.poll(() => statusOf(api, created)).toBe('withdrawn');
  await expectAccessible(patient);
  await patient.context().close();
});
