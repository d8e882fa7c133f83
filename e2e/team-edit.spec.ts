import { expect, type Page, type Response, test } from '@playwright/test';
import { COORDINATOR, expectAccessible, personPage, signIn } from './helpers';

type Period = { day: string; opens: string; closes: string };

/**
 * Saves the team page with its opening hours changed on their way out, as an older page or a
 * hand-made request could send them (the form itself checks first). The real server answers;
 * returns the hours the form sent and that answer.
 */
async function saveWithHoursAltered(
  page: Page,
  teamId: string,
  alter: (hours: Period[]) => Period[],
): Promise<{ sent: Period[]; refused: Response }> {
  let sent: Period[] = [];
  const address = `**/api/v1/teams/${teamId}`;
  await page.route(address, async (route) => {
    if (route.request().method() !== 'PATCH') return route.fallback();
    const body = route.request().postDataJSON() as { openingHours: Period[] };
    sent = body.openingHours;
    await route.continue({ postData: JSON.stringify({ ...body, openingHours: alter(sent) }) });
  });
  const answer = page.waitForResponse(
    (response) =>
      response.url().endsWith(`/api/v1/teams/${teamId}`) && response.request().method() === 'PATCH',
  );
  await page.getByRole('button', { name: 'Save changes' }).click();
  const refused = await answer;
  await page.unroute(address);
  return { sent, refused };
}

test('a short name already in use is shown against the field', async ({ page }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams/new');
  await page.getByLabel('Team name').fill('PALS again');
  await page.getByLabel('Short name').fill('demo-pals');
  await page
    .getByRole('group', { name: 'Can patients message this team directly?' })
    .getByLabel('Yes')
    .check();
  await page.getByRole('button', { name: 'Register team' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Another team already uses this short name');
  await expect(page.locator('#slug-error')).toContainText('Another team already uses');
  await expectAccessible(page);
});

test('coordinator changes a team’s details', async ({ page, browser }) => {
  await signIn(page, COORDINATOR);
  await page.goto('/teams');
  await page.getByRole('link', { name: 'Central Appointments' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Central Appointments');

  // An impossible time is caught on the field.
  await page.getByLabel('Closes on Tuesday').fill('08:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('closing time on Tuesday must be after the opening time');
  await expect(page).toHaveTitle('Error: Central Appointments – Carethread');
  await expectAccessible(page);

  await page.getByLabel('Closes on Tuesday').fill('1930');
  await page.getByLabel('Phone number (optional)').fill('0300 123 9999');
  await page.getByLabel('Closed on Saturday').uncheck();
  await page.getByLabel('Opens on Saturday').fill('10:00');
  await page.getByLabel('Closes on Saturday').fill('13:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Changes to the team have been saved');
  await expect(page).toHaveTitle('Central Appointments – Carethread');

  await page.reload();
  const details = page.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('0300 123 9999');
  await expect(details).toContainText('Tuesday: 08:00 to 19:30');
  await expect(details).toContainText('Saturday: 10:00 to 13:00');
  await expectAccessible(page);

  // Appointment settings, from the Teams page: the demo's Central Appointments and 72 hours.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Appointment settings' }).click();
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toContainText('Appointment settings');
  await expect(page).toHaveTitle('Appointment settings – Carethread');
  const oneTeam = page.getByRole('radio', { name: 'One team answers them for every clinic' });
  const noTeam = page.getByRole('radio', {
    name: 'No central team: each clinic answers questions about its own appointments',
  });
  const team = page.getByLabel('Which team?');
  const hours = page.getByLabel(/how many hours before an appointment/);
  const saveSettings = page.getByRole('button', { name: 'Save settings' });
  const saved = page.getByRole('alert');
  await expect(oneTeam).toBeChecked();
  await expect(team.locator('option:checked')).toHaveText('Central Appointments');
  await expect(hours).toHaveValue('72');
  await expectAccessible(page);

  await hours.fill('three days');
  await saveSettings.click();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Hours must be a whole number, like 72');
  await expect(page.locator('#changeCutoffHours-error')).toContainText('whole number');
  await expect(page).toHaveTitle('Error: Appointment settings – Carethread');
  await expectAccessible(page);
  await summary.getByRole('link', { name: 'Hours must be a whole number, like 72' }).click();
  await expect(hours).toBeFocused();

  await team.selectOption({ label: 'Medical Records' });
  await hours.fill('96');
  await saveSettings.click();
  await expect(saved).toContainText('The appointment settings have been saved');
  await expect(summary).toHaveCount(0);
  await expectAccessible(page);

  // Saved, and usable on a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 320, height: 640 });
  await page.reload();
  await expect(team.locator('option:checked')).toHaveText('Medical Records');
  await expect(hours).toHaveValue('96');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectAccessible(page);

  // Back to no central team: each clinic answers for its own appointments.
  await noTeam.check();
  await expect(team).toBeHidden();
  await saveSettings.click();
  await expect(saved).toContainText('The appointment settings have been saved');
  await page.reload();
  await expect(noTeam).toBeChecked();
  await expect(team).toBeHidden();
  await expect(hours).toHaveValue('96');
  await expectAccessible(page);

  // Another coordinator saves first: this page is told, shows their choice, and saves again.
  const other = await personPage(browser, COORDINATOR);
  await other.goto(page.url());
  await other.getByRole('radio', { name: 'One team answers them for every clinic' }).check();
  await other.getByLabel('Which team?').selectOption({ label: 'Central Appointments' });
  await other.getByRole('button', { name: 'Save settings' }).click();
  await expect(other.getByRole('alert')).toContainText('The appointment settings have been saved');
  await other.context().close();

  await hours.fill('72');
  await saveSettings.click();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Someone else changed the appointment settings');
  await expect(oneTeam).toBeChecked();
  await expect(team.locator('option:checked')).toHaveText('Central Appointments');
  await expect(hours).toHaveValue('96');
  await expectAccessible(page);

  // Back as the demo was, for the journeys that ask about appointments.
  await hours.fill('72');
  await saveSettings.click();
  await expect(saved).toContainText('The appointment settings have been saved');
});

test('changing a team’s phone keeps a break in its day that the form cannot show as two periods (decision 0013)', async ({
  page,
}) => {
  await signIn(page, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  // Closed for lunch on Monday, as a team's hours may be when set through the API.
  const created = await page.request.post(
    `/api/v1/organisations/${session.user.coordinatorOf[0]!.id}/teams`,
    {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        name: `Lunch Break Clinic ${Date.now()}`,
        slug: `lunch-${Date.now()}`,
        contactable: true,
        openingHours: [
          { day: 'monday', opens: '09:00', closes: '12:30' },
          { day: 'monday', opens: '13:30', closes: '17:00' },
        ],
      },
    },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string; slug: string };

  await page.goto(`/teams/${team.id}`);
  const details = page.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('Monday: 09:00 to 12:30, 13:30 to 17:00');
  await expect(page.getByRole('group', { name: 'Monday' })).toHaveAccessibleDescription(
    /Open 09:00 to 12:30, 13:30 to 17:00/,
  );
  await expectAccessible(page);

  await page.getByLabel('Phone number (optional)').fill('0300 123 7777');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Changes to the team have been saved');
  await page.reload();
  await expect(details).toContainText('0300 123 7777');
  await expect(details).toContainText('Monday: 09:00 to 12:30, 13:30 to 17:00');

  const publicTeam = await page.request.get(`/api/v1/public/teams/${team.slug}`);
  expect(((await publicTeam.json()) as { openingHours: unknown[] }).openingHours).toEqual([
    { day: 'monday', opens: '09:00', closes: '12:30' },
    { day: 'monday', opens: '13:30', closes: '17:00' },
  ]);
});

test('a problem the server finds with a period is shown on that period’s day, after a day with two (decision 0013)', async ({
  page,
}) => {
  await signIn(page, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const created = await page.request.post(
    `/api/v1/organisations/${session.user.coordinatorOf[0]!.id}/teams`,
    {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        name: `Split Day Clinic ${Date.now()}`,
        slug: `split-${Date.now()}`,
        contactable: true,
        openingHours: [
          { day: 'monday', opens: '09:00', closes: '12:30' },
          { day: 'monday', opens: '13:30', closes: '17:00' },
          { day: 'tuesday', opens: '09:00', closes: '17:00' },
        ],
      },
    },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string };

  // The form itself cannot send hours the server refuses (it checks them first), but an older
  // page or a hand-made request can. So the hours the page sends are changed on their way out:
  // Tuesday, the third period sent, closes before it opens. The real server refuses that, and
  // the page must put its problem on Tuesday, not on the third open day (Wednesday).
  await page.goto(`/teams/${team.id}`);
  await page.getByLabel('Closed on Wednesday').uncheck();
  const { sent, refused } = await saveWithHoursAltered(page, team.id, (hours) =>
    hours.map((h, i) => (i === 2 ? { ...h, opens: '17:00', closes: '09:00' } : h)),
  );
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([
    {
      field: 'body/openingHours/2',
      code: 'team.opening_hours_invalid',
      message: 'On Tuesday the closing time must be after the opening time',
    },
  ]);
  await expect(page.locator('.nhsuk-error-summary')).toBeFocused();
  expect(sent.map((h) => h.day)).toEqual(['monday', 'monday', 'tuesday', 'wednesday']);
  await expect(page.locator('#tuesday-closes-error')).toContainText(
    'On Tuesday the closing time must be after the opening time',
  );
  await expect(page.locator('#wednesday-closes-error')).toHaveCount(0);
  await expectAccessible(page);
});

test('a team with the most opening periods the server takes cannot open another day without giving one up', async ({
  page,
}) => {
  await signIn(page, COORDINATOR);
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  // 21 periods over Monday to Saturday: four a weekday, with breaks, and Saturday morning.
  const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  const sessions = [
    ['08:00', '09:00'],
    ['10:00', '11:00'],
    ['12:00', '13:00'],
    ['14:00', '17:00'],
  ];
  const created = await page.request.post(
    `/api/v1/organisations/${session.user.coordinatorOf[0]!.id}/teams`,
    {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        name: `Busy Clinic ${Date.now()}`,
        slug: `busy-${Date.now()}`,
        contactable: true,
        openingHours: [
          ...weekdays.flatMap((day) => sessions.map(([opens, closes]) => ({ day, opens, closes }))),
          { day: 'saturday', opens: '09:00', closes: '12:00' },
        ],
      },
    },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string };
  const tooMany =
    'A team can have at most 21 opening periods in a week. Remove a period or close a day';

  // Opening on Sunday too would make 22: the form says so, on Sunday, and sends nothing.
  const patches: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PATCH') patches.push(request.url());
  });
  await page.goto(`/teams/${team.id}`);
  await page.getByLabel('Closed on Sunday').uncheck();
  await page.getByLabel('Opens on Sunday').fill('10:00');
  await page.getByLabel('Closes on Sunday').fill('14:00');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const summary = page.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(tooMany);
  await expect(page.locator('#sunday-closed-error')).toContainText(tooMany);
  await expect(page.locator('#monday-closed-error')).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Sunday' })).toHaveAccessibleDescription(
    new RegExp(tooMany),
  );
  await expectAccessible(page);
  await summary.getByRole('link', { name: tooMany }).click();
  await expect(page.getByLabel('Closed on Sunday')).toBeFocused();
  expect(patches).toEqual([]);

  // Should the server still refuse too many (a page from before the form checked), its refusal
  // is shown the same way. The hours leave the page as the form has them, plus three more.
  await page.getByLabel('Opens on Monday').fill('09:00');
  const evening = { day: 'sunday', opens: '18:00', closes: '19:00' };
  const { refused } = await saveWithHoursAltered(page, team.id, (hours) => [
    ...hours,
    evening,
    evening,
    evening,
  ]);
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { errors: unknown[] }).errors).toMatchObject([
    { field: 'body/openingHours', code: 'field.too_many' },
  ]);
  await expect(summary).toBeFocused();
  await expect(summary).toContainText(tooMany);
  await expect(page.locator('#sunday-closed-error')).toContainText(tooMany);
  await expect(page.locator('#monday-closed-error')).toHaveCount(0);

  // Monday as one period makes room: 19 periods, saved.
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Changes to the team have been saved');
  await page.reload();
  const details = page.locator('dl.nhsuk-summary-list');
  await expect(details).toContainText('Monday: 09:00 to 17:00');
  await expect(details).toContainText('Tuesday: 08:00 to 09:00, 10:00 to 11:00');
  await expect(details).toContainText('Sunday: 10:00 to 14:00');
});
