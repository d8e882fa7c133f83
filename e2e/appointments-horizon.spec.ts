import { expect, test } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage } from './helpers';

/** A Central Appointments booking clerk (demo seed); the team looks after every demo patient. */
const CLERK = 'appointments.member1@demo.carethread.test';
const DAY_MS = 24 * 60 * 60 * 1000;
const TOO_FAR = 'The appointment must be within the next 2 years';

/** A UK calendar date, as typed into the form's three boxes. */
function ukDate(at: Date) {
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Europe/London' }).format(at);
  return {
    day: part({ day: 'numeric' }),
    month: part({ month: 'numeric' }),
    year: part({ year: 'numeric' }),
  };
}

/**
 * Decision 0016: a booking more than 2 years ahead is refused, most often a slip in the year
 * ("2062" for "2026"). The form checks this itself, on the year; when only the server can tell
 * (here the computer's clock runs days ahead of the server's, so the form lets the date through),
 * the server's `appointment.too_far_ahead` must land on the same box: the error summary's link
 * focuses the year, not the day.
 */
test('a date the server finds more than 2 years ahead is shown on the year, as the form’s own check is', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const session = (await (await patient.request.get('/api/v1/session')).json()) as {
    user: { patientId: string };
  };
  await patient.context().close();

  const clerk = await personPage(browser, CLERK);
  const expiry = (await (await clerk.request.get('/api/v1/session/expiry')).json()) as {
    now: string;
  };
  const serverNow = new Date(expiry.now);
  // Two calendar years and five days on by the server's clock: too far for the server…
  const latest = new Date(serverNow);
  latest.setUTCFullYear(latest.getUTCFullYear() + 2);
  const when = ukDate(new Date(latest.getTime() + 5 * DAY_MS));
  // …but not for a computer whose clock is ten days ahead.
  await clerk.clock.setFixedTime(new Date(serverNow.getTime() + 10 * DAY_MS));

  await clerk.goto(`/patients/${session.user.patientId}`);
  await clerk.getByRole('link', { name: 'Book an appointment' }).click();
  await expect(clerk.getByRole('heading', { level: 1 })).toHaveText('Book an appointment');
  await clerk.getByLabel('Team', { exact: true }).selectOption({ label: 'Cardiology Nurses' });
  const date = clerk.getByRole('group', { name: 'Date' });
  await date.getByLabel('Day').fill(when.day);
  await date.getByLabel('Month').fill(when.month);
  await date.getByLabel('Year').fill(when.year);
  await clerk.getByLabel('Time').fill('10:30');
  await clerk.getByLabel('How long, in minutes').fill('30');
  await clerk.getByLabel('Where').fill('Outpatients B');
  const refused = clerk.waitForResponse(
    (r) => r.url().endsWith('/appointments') && r.request().method() === 'POST',
  );
  await clerk.getByRole('button', { name: 'Book appointment' }).click();
  // The server said it, not the form.
  const response = await refused;
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({
    errors: [{ field: 'body/startsAt', code: 'appointment.too_far_ahead' }],
  });

  const summary = clerk.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await summary.getByRole('link', { name: TOO_FAR }).click();
  await expect(date.getByLabel('Year')).toBeFocused();
  await expect(date).toContainText(`Error: ${TOO_FAR}`);
  await expect(date.getByLabel('Year')).toHaveClass(/nhsuk-input--error/);
  await expect(date.getByLabel('Day')).not.toHaveClass(/nhsuk-input--error/);
  await expectAccessible(clerk);
});
