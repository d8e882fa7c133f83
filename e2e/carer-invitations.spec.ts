import { expect, test, type Page } from '@playwright/test';
import {
  apiPost,
  expectAccessible,
  expectInvitationCodeRefused,
  PATIENT_P9,
  personPage,
} from './helpers';

const CARER = 'david.jones@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a patient cancels her own waiting carer invitation only after confirming, as for stopping a carer’s access, and its code no longer works (C1)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const email = `neighbour-${Date.now().toString(36)}@example.test`;

  // She invites someone; the code is shown once.
  await patient.goto('/carers');
  await patient.getByLabel('Your carer’s email address').fill(email);
  await patient.getByRole('radio', { name: 'View messages', exact: true }).check();
  await patient.getByRole('button', { name: 'Invite carer' }).click();
  const code = (await patient.getByTestId('invitation-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const waiting = patient.getByRole('table', { name: 'Invitations waiting to be accepted' });
  const row = waiting.getByRole('row', { name: new RegExp(email) });
  await expect(row).toBeVisible();

  // Cancel asks first: what will happen, a warning button and a way back that keeps it.
  await row.getByRole('link', { name: `Cancel invitation to ${email}` }).click();
  await expect(h1(patient)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );
  await expect(h1(patient)).toBeFocused();
  await expect(patient).toHaveTitle(`Cancel the invitation to ${email} – Carethread`);
  await expect(patient.getByText('The code will stop working')).toBeVisible();
  await expect(patient.getByText(`${email} will not become your carer`)).toBeVisible();
  await expect(patient.getByRole('button', { name: 'Yes, cancel the invitation' })).toHaveClass(
    /nhsuk-button--warning/,
  );
  await expectAccessible(patient);
  await patient.getByRole('link', { name: 'No, keep the invitation' }).click();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(row).toBeVisible();
  await expect(patient.getByRole('alert')).toHaveCount(0);

  // Confirmed: back on her carers, focus on the page's heading and the outcome announced.
  await row.getByRole('link', { name: `Cancel invitation to ${email}` }).click();
  await patient.getByRole('button', { name: 'Yes, cancel the invitation' }).click();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(h1(patient)).toBeFocused();
  await expect(patient.getByRole('alert')).toContainText(
    `The invitation to ${email} has been cancelled`,
  );
  await expect(waiting.getByRole('row', { name: new RegExp(email) })).toHaveCount(0);
  await expectAccessible(patient);
  // Back to the question finds nothing left to cancel: her carers, as they are now.
  await patient.goBack();
  await expect(h1(patient)).toHaveText('Your carers');
  await expect(patient.getByRole('button', { name: 'Yes, cancel the invitation' })).toHaveCount(0);
  await patient.context().close();

  // The code now meets the same refusal as an expired or used one.
  const carer = await personPage(browser, CARER);
  await expectInvitationCodeRefused(carer, code);
  await carer.context().close();
});

test('a carer who accepts while the patient is on the confirm page is not cancelled: she is told so, and how to stop their access instead (C1)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const email = `accepted-meanwhile-${Date.now().toString(36)}@example.test`;
  const { code } = await apiPost(patient, '/api/v1/carer-invitations', { email, level: 'view' });
  await patient.goto('/carers');
  await patient
    .getByRole('table', { name: 'Invitations waiting to be accepted' })
    .getByRole('row', { name: new RegExp(email) })
    .getByRole('link', { name: `Cancel invitation to ${email}` })
    .click();
  await expect(h1(patient)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );

  // Meanwhile, on their own phone, the carer accepts the code.
  const carer = await personPage(browser, CARER);
  const accepted = await apiPost(carer, '/api/v1/carer-invitations/accept', { code });

  // Confirming cancels nothing: the question stays, saying what has happened and what to do.
  await patient.getByRole('button', { name: 'Yes, cancel the invitation' }).click();
  const summary = patient.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(
    `${email} has already accepted this invitation and is now your carer. To stop their access, go back to your carers and choose Stop access.`,
  );
  await expect(h1(patient)).toContainText(
    `Are you sure you want to cancel the invitation to ${email}?`,
  );
  await expect(patient).toHaveTitle(`Error: Cancel the invitation to ${email} – Carethread`);
  await expectAccessible(patient);

  // She stops it, so the demo's carers are as they were.
  await apiPost(patient, `/api/v1/carer-consents/${String(accepted.consentId)}/revoke`);
  await patient.context().close();
  await carer.context().close();
});
