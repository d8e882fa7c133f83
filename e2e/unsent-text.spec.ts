import { expect, test, type Page } from '@playwright/test';
import {
  runClockUntilSignIn,
  advanceServerClock,
  expectAccessible,
  PATIENT_P9,
  personPage,
  writeNewMessage,
} from './helpers';

/**
 * A message being written is not lost to a slip: moving to another page asks first ("Stay on
 * this page" is the first, focused choice), closing or reloading the tab gets the browser's
 * question, and neither happens once the message is sent or when the session has ended.
 */

const MINUTE = 60_000;
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu' });
const leaveDialog = (page: Page) =>
  page.getByRole('dialog', { name: 'You have not sent your message' });

/** Reloads the page, answering the browser's "Leave site?" with leave; whether it asked. */
async function reloadAsked(page: Page): Promise<boolean> {
  let asked = false;
  const onDialog = (dialog: { type(): string; accept(): Promise<void> }) => {
    asked = dialog.type() === 'beforeunload';
    void dialog.accept();
  };
  page.on('dialog', onDialog);
  await page.reload();
  page.off('dialog', onDialog);
  return asked;
}

// The session journey moves the server's clock; later files run on the real time again.
test.afterAll(async ({ request }) => {
  expect((await request.delete('/__test/clock')).status()).toBe(200);
});

test('a new message not yet sent: leaving asks first, staying keeps it, sending does not ask', async ({
  browser,
}) => {
  const subject = `Question about my tablets ${Date.now().toString(36)}`;
  const body = 'I have been slow to write this.\nPlease do not lose it.';
  const patient = await personPage(browser, PATIENT_P9);
  const dialog = leaveDialog(patient);

  // Nothing written yet: the header's links go straight on.
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await expect(h1(patient)).toHaveText('Send a new message');
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  await expect(h1(patient)).toContainText('appointments');
  await patient.goBack();
  await expect(h1(patient)).toHaveText('Send a new message');

  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await writeNewMessage(patient, 'Cardiology Nurses', subject, body);

  // A header link: the question, with "Stay on this page" focused, accessible as a dialog.
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('If you leave this page, what you have written will be lost.');
  await expect(dialog.getByRole('button', { name: 'Stay on this page' })).toBeFocused();
  await expectAccessible(patient);
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(dialog).toBeHidden();
  await expect(patient).toHaveURL(/\/messages\/new$/);
  await expect(patient.getByLabel('Subject')).toHaveValue(subject);
  await expect(patient.getByLabel('Your message')).toHaveValue(body);

  // The back link, and Escape: staying again.
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await expect(dialog).toBeVisible();
  await patient.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(patient).toHaveURL(/\/messages\/new$/);
  await expect(patient.getByLabel('Your message')).toHaveValue(body);

  // The browser's back button asks too.
  await patient.goBack();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(patient).toHaveURL(/\/messages\/new$/);

  // Reloading or closing the tab: the browser asks while something is written.
  expect(await reloadAsked(patient)).toBe(true);
  await expect(h1(patient)).toHaveText('Send a new message');

  // Spaces alone are nothing to lose: neither the browser nor the page asks.
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await writeNewMessage(patient, 'Cardiology Nurses', '   ', ' \n ');
  expect(await reloadAsked(patient)).toBe(false);
  await patient.getByLabel('Subject').fill('   ');
  await patient.getByLabel('Your message').fill(' \n ');
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await expect(h1(patient)).toContainText('Your messages');
  await expect(dialog).toHaveCount(0);

  // Leaving on purpose.
  await writeNewMessage(patient, 'Cardiology Nurses', subject, body);
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Leave without sending' }).click();
  await expect(patient).toHaveURL(/\/appointments$/);
  await expect(h1(patient)).toContainText('appointments');
  await expect(dialog).toHaveCount(0);

  // Sending goes to the thread without a question.
  await patient.goto('/');
  await writeNewMessage(patient, 'Cardiology Nurses', subject, body);
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);
  await expect(patient.getByRole('alert')).toContainText('Your message has been sent');
  await expect(dialog).toHaveCount(0);

  // A reply being written asks the same; once sent, the box is empty and nothing is asked.
  const reply = 'One more thing: I take them in the morning.';
  await patient.getByLabel('Your reply').fill(reply);
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Stay on this page' })).toBeFocused();
  await expectAccessible(patient);
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(patient.getByLabel('Your reply')).toHaveValue(reply);
  await patient.getByRole('button', { name: 'Send reply' }).click();
  await expect(patient.getByText('Your reply has been sent')).toBeVisible();
  await patient.getByRole('link', { name: 'Back to your messages' }).click();
  await expect(h1(patient)).toContainText('Your messages');
  await expect(dialog).toHaveCount(0);
});

test('asking to change an appointment: leaving without sending asks first', async ({ browser }) => {
  const patient = await personPage(browser, PATIENT_P9);
  await menu(patient).getByRole('link', { name: 'Appointments' }).click();
  // The demo's appointment with the cardiologists, two weeks away, may still be changed.
  await patient
    .getByRole('table', { name: 'Upcoming appointments, soonest first' })
    .getByRole('row')
    .filter({ hasText: 'Cardiology Consultants' })
    .getByRole('link', { name: /View/ })
    .click();
  const appointmentUrl = patient.url();
  await patient.getByRole('link', { name: 'Ask to change' }).click();
  await expect(h1(patient)).toContainText('Ask to change your appointment');
  await patient.getByLabel('What would you like?').fill('Any afternoon the week after.');

  const dialog = leaveDialog(patient);
  await patient.getByRole('link', { name: 'Back to the appointment' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Stay on this page' })).toBeFocused();
  await expectAccessible(patient);
  await dialog.getByRole('button', { name: 'Leave without sending' }).click();
  await expect(patient).toHaveURL(appointmentUrl);
});

test('signing out from the header with a message half written asks first', async ({ browser }) => {
  const patient = await personPage(browser, PATIENT_P9);
  const dialog = leaveDialog(patient);
  await writeNewMessage(patient, 'Cardiology Nurses', 'Signing out', 'Half written');

  // A slip of the finger loses nothing: staying keeps the session and the text.
  await patient.getByRole('button', { name: 'Sign out' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Stay on this page' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(patient.getByRole('textbox', { name: 'Your message' })).toHaveValue('Half written');
  expect((await patient.request.get('/api/v1/session')).status()).toBe(200);

  // Choosing to leave signs out.
  await patient.getByRole('button', { name: 'Sign out' }).click();
  await dialog.getByRole('button', { name: 'Leave without sending' }).click();
  await expect(h1(patient)).toHaveText(/Sign in/);
  await expect(patient).toHaveURL(/\/sign-in$/);
  expect((await patient.request.get('/api/v1/session')).status()).toBe(401);
});

test('an address to the signing-out page from outside signs nobody out', async ({ browser }) => {
  const patient = await personPage(browser, PATIENT_P9);
  await patient.goto('/signing-out');
  await expect(patient).toHaveURL(/\/$/);
  expect((await patient.request.get('/api/v1/session')).status()).toBe(200);
});

test('when the session ends, going to sign in is never held by what is written', async ({
  browser,
}) => {
  // The session ended elsewhere ("Sign out of all devices", say): sending is refused (401)
  // and the page goes to sign in.
  const elsewhere = await personPage(browser, PATIENT_P9);
  await writeNewMessage(elsewhere, 'Cardiology Nurses', 'Ended elsewhere', 'Written in vain');
  const session = (await (await elsewhere.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
  };
  const ended = await elsewhere.request.delete('/api/v1/session', {
    headers: { 'X-CSRF-Token': session.csrfToken },
  });
  expect(ended.status()).toBe(204);
  await elsewhere.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(elsewhere)).toHaveText(/Sign in/);
  // Told, whichever request heard of it first.
  await expect(
    elsewhere.getByText('You have been signed out. Sign in again to carry on.'),
  ).toBeVisible();
  await expect(leaveDialog(elsewhere)).toHaveCount(0);

  // The session ends while writing (30 minutes without activity): the page goes to sign in.
  const signedIn = await personPage(browser, PATIENT_P9);
  await signedIn.clock.install();
  const mounted = signedIn.waitForResponse((r) => r.url().endsWith('/api/v1/session/expiry'));
  await signedIn.reload();
  await mounted;
  await writeNewMessage(signedIn, 'Cardiology Nurses', 'Timed out', 'Written before a break');
  await advanceServerClock(signedIn, 31 * MINUTE);
  await signedIn.clock.fastForward(31 * MINUTE);
  await runClockUntilSignIn(signedIn);
  await expect(h1(signedIn)).toHaveText(/Sign in/);
  await expect(
    signedIn.getByText(/We signed you out because you had not used Carethread for 30 minutes/),
  ).toBeVisible();
  await expect(leaveDialog(signedIn)).toHaveCount(0);
});
