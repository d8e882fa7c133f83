import { expect, test, type Page, type Route } from '@playwright/test';
import { makePng, makeScannedPdf } from './fixtures/documents';
import {
  attachToMessage,
  expectAccessible,
  PATIENT_P9,
  personPage,
  writeNewMessage,
} from './helpers';

// Files chosen for a message (decision 0019): checked before the message can go, cancelled
// while they upload, and refused at once when there is nothing in them.

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a chosen file that fails its checks says why, and must be removed before sending', async ({
  browser,
}) => {
  const subject = `Letter ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await writeNewMessage(patient, 'Medical Records', subject, 'My letter is attached.');
  await attachToMessage(patient, {
    name: 'letter.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<html><body>Not a PDF</body></html>'),
  });
  const files = patient.getByRole('list', { name: 'Files attached to your message' });
  await expect(files).toContainText('Not accepted: the file is not the type its name says', {
    timeout: 20_000,
  });
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(patient.locator('.nhsuk-error-summary')).toContainText(
    'Remove letter.pdf: it was not accepted',
  );
  await expectAccessible(patient);

  await files.getByRole('button', { name: 'Remove letter.pdf' }).click();
  await expect(files).toHaveCount(0);
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);
});

test('cancelling an upload under way withdraws the file it started (decision 0019)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  let releaseHeld: (route: Route) => void = () => undefined;
  const held = new Promise<Route>((resolve) => (releaseHeld = resolve));
  await patient.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH') return releaseHeld(route);
    await route.continue();
  });
  const created = patient.waitForResponse(
    (r) => r.url().endsWith('/api/v1/uploads') && r.request().method() === 'POST',
  );
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await patient.getByLabel('Attach a file (optional)').setInputFiles({
    name: 'big-scan.pdf',
    mimeType: 'application/pdf',
    buffer: await makeScannedPdf('Scan'),
  });
  const documentId = (await (await created).headerValue('location'))?.split('/').pop() ?? '';
  const route = await held;
  await expect(patient.getByRole('progressbar', { name: /Uploading big-scan\.pdf/ })).toBeVisible();
  await expectAccessible(patient);

  await patient.getByRole('button', { name: 'Cancel upload of big-scan.pdf' }).click();
  await route.abort().catch(() => undefined);
  await expect(patient.getByLabel('Attach a file (optional)')).toBeFocused();
  await expect(
    patient.getByRole('status').filter({ hasText: 'Upload of big-scan.pdf cancelled' }),
  ).toHaveCount(1);
  await expect
    .poll(async () => {
      const response = await patient.request.get(`/api/v1/documents/${documentId}`);
      return ((await response.json()) as { status: string }).status;
    })
    .toBe('withdrawn');
  await patient.unrouteAll({ behavior: 'ignoreErrors' });
});

test('an empty file chosen for a message is refused before it uploads, in plain words', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const creations: string[] = [];
  patient.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/uploads'))
      creations.push(request.url());
  });
  await writeNewMessage(patient, 'Medical Records', 'Empty file', 'Here is my letter.');
  const field = patient.getByLabel('Attach a file (optional)');
  await field.setInputFiles({
    name: 'letter.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(0),
  });
  await expect(
    patient.getByRole('alert').filter({ hasText: 'The selected file is empty' }),
  ).toBeVisible();
  await expect(field).toHaveAccessibleDescription(/The selected file is empty/);
  await expect(
    patient.getByText('Not accepted: the file is not the type its name says'),
  ).toHaveCount(0);
  await expect(patient.getByRole('list', { name: 'Files attached to your message' })).toHaveCount(
    0,
  );
  expect(creations).toEqual([]);
  await expectAccessible(patient);

  // Another file can be chosen straight away, and the message clears.
  await attachToMessage(patient, {
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: makePng(8, 8),
  });
  await expect(patient.getByText('The selected file is empty')).toHaveCount(0);
});
