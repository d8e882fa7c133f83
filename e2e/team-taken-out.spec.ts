import { expect, test } from '@playwright/test';
import { apiPost, expectAccessible, PATIENT_P9, personPage, writeToNursesAndPals } from './helpers';

const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const MANAGER = 'cardiology.nurses.manager@demo.carethread.test';

test('a nurse looking at a thread when her team is taken out is told so, and offered no more work (M3, W1)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const subject = `Heart tablets ${suffix}`;

  // The patient writes to Cardiology Nurses and PALS.
  const patient = await personPage(browser, PATIENT_P9);
  const { id, nurses } = await writeToNursesAndPals(
    patient,
    subject,
    'Should I take them before breakfast?',
  );

  // A nurse has the thread open, with the team's work on it.
  const nurse = await personPage(browser, NURSE);
  await nurse.goto(`/conversations/${id}`);
  await expect(nurse.getByRole('heading', { level: 1 })).toContainText(subject);
  await expect(nurse.getByRole('button', { name: 'Assign to me' })).toBeVisible();
  await expect(nurse.getByLabel('Your reply')).toBeVisible();

  // Her manager, in another session, takes the team out of the conversation.
  const manager = await personPage(browser, MANAGER);
  await apiPost(manager, `/api/v1/conversations/${id}/leave`, { teamId: nurses });

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
