import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, PATIENT_P9, personPage, sendNewMessage } from './helpers';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** The coordinator's own API calls, with the CSRF token their session gives. */
async function asCoordinator(page: Page) {
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const headers = { 'X-CSRF-Token': session.csrfToken };
  return {
    organisationId: session.user.coordinatorOf[0]!.id,
    post: (url: string, data: object) => page.request.post(url, { headers, data }),
    patch: (url: string, data: object) => page.request.patch(url, { headers, data }),
  };
}

test('when the only team in a conversation is made inactive, the patient is told to write a new message instead (W5)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const teamName = `Leg Ulcer Clinic ${suffix}`;
  const coordinator = await asCoordinator(await personPage(browser, COORDINATOR));
  const created = await coordinator.post(
    `/api/v1/organisations/${coordinator.organisationId}/teams`,
    { name: teamName, slug: `leg-ulcer-clinic-${suffix}`, contactable: true },
  );
  expect(created.status()).toBe(201);
  const team = (await created.json()) as { id: string };

  const patient = await personPage(browser, PATIENT_P9);
  const subject = `Dressings ${suffix}`;
  await sendNewMessage(patient, teamName, subject, 'My dressing needs changing.');
  await expect(patient.getByLabel('Your reply')).toBeVisible();
  const threadUrl = patient.url();

  const closed = await coordinator.patch(`/api/v1/teams/${team.id}`, { active: false });
  expect(closed.status()).toBe(200);

  await patient.goto(threadUrl);
  await expect(h1(patient)).toContainText(subject);
  await expect(patient.getByText('My dressing needs changing.')).toBeVisible();
  await expect(patient.getByLabel('Your reply')).toHaveCount(0);
  await expect(patient.getByRole('main')).toContainText(
    'The team in this conversation no longer uses Carethread, so nobody would read a reply here.',
  );
  await expectAccessible(patient);
  await patient
    .getByRole('link', { name: 'Send a new message to a team that looks after you' })
    .click();
  await expect(h1(patient)).toContainText('Send a new message');
});
