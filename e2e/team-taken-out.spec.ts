import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage } from './helpers';

const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const MANAGER = 'cardiology.nurses.manager@demo.carethread.test';

async function api(page: Page) {
  const { csrfToken } = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
  };
  return (url: string, data: object) =>
    page.request.post(url, { headers: { 'X-CSRF-Token': csrfToken }, data });
}

test('a nurse looking at a thread when her team is taken out is told so, and offered no more work (M3, W1)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const subject = `Heart tablets ${suffix}`;

  // The patient writes to Cardiology Nurses and PALS.
  const patient = await personPage(browser, PATIENT_P9);
  const recipients = (await (await patient.request.get('/api/v1/me/recipients')).json()) as {
    teams: { id: string; name: string }[];
  };
  const teamId = (name: string) => recipients.teams.find((t) => t.name === name)!.id;
  const nurses = teamId('Cardiology Nurses');
  const created = await (
    await api(patient)
  )('/api/v1/conversations', {
    subject,
    body: 'Should I take them before breakfast?',
    recipients: [{ teamId: nurses }, { teamId: teamId('PALS') }],
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  // A nurse has the thread open, with the team's work on it.
  const nurse = await personPage(browser, NURSE);
  await nurse.goto(`/conversations/${id}`);
  await expect(nurse.getByRole('heading', { level: 1 })).toContainText(subject);
  await expect(nurse.getByRole('button', { name: 'Assign to me' })).toBeVisible();
  await expect(nurse.getByLabel('Your reply')).toBeVisible();

  // Her manager, in another session, takes the team out of the conversation.
  const manager = await personPage(browser, MANAGER);
  const left = await (await api(manager))(`/api/v1/conversations/${id}/leave`, { teamId: nurses });
  expect(left.status()).toBe(204);

  // The live update reaches her page: it says so plainly and offers nothing more to do.
  const notice = nurse.getByRole('alert').filter({ hasText: 'no longer in this conversation' });
  await expect(notice).toContainText('Your team is no longer in this conversation');
  await expect(notice).toContainText('Cardiology Nurses was taken out of it');
  await expect(notice).toBeFocused();
  await expect(nurse.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  await expect(nurse.getByRole('button', { name: 'Archive' })).toHaveCount(0);
  await expect(nurse.getByLabel('Your reply')).toHaveCount(0);
  await expect(nurse.getByRole('link', { name: 'Leave conversation' })).toHaveCount(0);
  await expect(nurse.getByRole('link', { name: 'Add people' })).toHaveCount(0);
  await expect(nurse.getByRole('button', { name: 'Join conversation' })).toHaveCount(0);
  // What she saw stays readable (M3).
  await expect(nurse.getByText('Should I take them before breakfast?')).toBeVisible();
  await expectAccessible(nurse);

  await notice.getByRole('link', { name: 'Go to the Cardiology Nurses inbox' }).click();
  await expect(nurse.getByRole('heading', { level: 1 })).toContainText('Team inbox');
  await expect(nurse.getByRole('link', { name: subject })).toHaveCount(0);
});
