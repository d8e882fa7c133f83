import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, openRecord, signIn } from './helpers';

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text, 'utf8'),
});

async function upload(page: Page, name: string, text: string) {
  await page.getByLabel('CSV file').setInputFiles(csvFile(name, text));
  await page.getByRole('button', { name: 'Upload and import' }).click();
}

test('a coordinator imports staff: problems first, then the clean file, then the same again', async ({
  page,
}) => {
  const stamp = Date.now();
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Import staff' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import staff' })).toBeVisible();
  await expectAccessible(page);

  // No file chosen: the error summary says so.
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select a CSV file');
  await expectAccessible(page);

  const header = 'Name,Job title,Email,Team,Role,Contactable';
  await upload(
    page,
    'staff.csv',
    `${header}\nNew Nurse,Staff Nurse,nurse.${stamp}@demo.carethread.test,demo-pals,member,yes\n"=HYPERLINK(""x"")",Nurse,not-an-email,demo-pals,boss,yes\n`,
  );
  await expect(page.getByRole('heading', { name: 'The file was not imported' })).toBeFocused();
  const problems = page.getByRole('table', { name: /Problems in the file/ });
  await expect(problems).toContainText('Enter an email address in the correct format');
  await expect(problems).toContainText('Role must be manager or member');
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the list of problems (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('staff-import-problems.csv');
  const report = fs.readFileSync(await download.path(), 'utf8');
  expect(report.split('\r\n')[0]).toBe('Row,Column,Problem');
  expect(report).toContain('\r\n3,Email,');

  const clean = `${header}\nNew Nurse,Staff Nurse,nurse.${stamp}@demo.carethread.test,demo-pals,member,yes\nNew Nurse,Staff Nurse,nurse.${stamp}@demo.carethread.test,Medical Records,manager,no\n`;
  await upload(page, 'staff.csv', clean);
  await expect(page.getByRole('heading', { name: 'File imported' })).toBeFocused();
  await expect(page.getByText('2 new')).toBeVisible();
  await expect(page.getByText('1 invitation to be sent')).toBeVisible();
  await expectAccessible(page);

  await upload(page, 'staff.csv', clean);
  await expect(page.getByText('2 already present, left unchanged')).toBeVisible();
  await expect(page.getByText('0 new')).toBeVisible();
});

test('a coordinator imports patients, and the invitation names no one', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Import patients' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import patients' })).toBeVisible();
  await expectAccessible(page);
  const email = `imported.${Date.now()}@demo.carethread.test`;
  // 999 000 0069 passes the Modulus 11 check; 999 000 0060 does not.
  await upload(
    page,
    'patients.csv',
    `NHS number,Given name,Family name,Date of birth,Email\n999 000 0060,Ima,Ported,01/02/1980,${email}\n`,
  );
  await expect(page.getByRole('table', { name: /Problems in the file/ })).toContainText(
    'NHS number must be 10 digits and pass the NHS number check',
  );
  await upload(
    page,
    'patients.csv',
    `NHS number,Given name,Family name,Date of birth,Email\n999 000 0069,Ima,Ported,01/02/1980,${email}\n`,
  );
  await expect(page.getByRole('heading', { name: 'File imported' })).toBeFocused();
  await expect(page.getByText('1 new')).toBeVisible();
  await expectAccessible(page);

  // The development mailbox shows the invitation once it is sent: no name, no NHS number.
  await expect
    .poll(
      async () => {
        const response = await page.request.get(
          `/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`,
        );
        const body = (await response.json()) as { items: { text: string }[] };
        return body.items.map((item) => item.text).join('\n');
      },
      { timeout: 30_000 },
    )
    .toContain('You can now send secure messages');
  const response = await page.request.get(`/api/v1/dev/mailbox?to=${encodeURIComponent(email)}`);
  const text = JSON.stringify(await response.json());
  expect(text).not.toContain('Ported');
  expect(text).not.toContain('9990000069');
});

test('a patient file saved by Excel as plain “CSV (comma delimited)” keeps accented names (decision 0012)', async ({
  page,
}) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Import patients' }).click();
  // Windows Excel's plain CSV is Windows-1252, not UTF-8: â and ü are one byte each.
  await page.getByLabel('CSV file').setInputFiles({
    name: 'patients.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'NHS number,Given name,Family name,Date of birth,Email\r\n999 000 1227,Siân,Müller,01/02/1980,\r\n',
      'latin1',
    ),
  });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByRole('heading', { name: 'File imported' })).toBeFocused();
  await expect(page.getByText('1 new')).toBeVisible();
  await openRecord(page, '999 000 1227', 'Siân Müller');
});
