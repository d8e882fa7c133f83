import { expect, test, type Page } from '@playwright/test';
import { apiPost, expectAccessible, PATIENT_P9, personPage, writeToNursesAndPals } from './helpers';

/**
 * Staff reading a conversation they do not take part in are told what is true for them (C3,
 * M3): a team that was taken out keeps what it saw, and is not told it has access to the
 * record when it has not; a team with record access is offered Join. And a reply being written
 * when the team is taken out is not lost with the reply box, nor shown again after it is gone.
 */

/** Aisha Khan (demo) has no care relationship with any team; Margaret has, with Medical Records. */
const PATIENT = 'aisha.khan@demo.carethread.test';
const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const OTHER_NURSE = 'cardiology.nurses.member2@demo.carethread.test';
const MANAGER = 'cardiology.nurses.manager@demo.carethread.test';
const RECORDS = 'records.member1@demo.carethread.test';
const PALS = 'pals.member1@demo.carethread.test';

const readOnlyBanner = (page: Page) => page.getByRole('region', { name: 'Important' });

test('a nurse opening a thread after her team was taken out is told so, not that her team has record access (C3, M3)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const subject = `Skin rash ${suffix}`;
  const patient = await personPage(browser, PATIENT);
  const { id, nurses } = await writeToNursesAndPals(patient, subject, 'It is itchy at night.');

  // Her manager takes the team out; she was not looking at the thread then.
  const manager = await personPage(browser, MANAGER);
  await apiPost(manager, `/api/v1/conversations/${id}/leave`, { teamId: nurses });

  const nurse = await personPage(browser, OTHER_NURSE);
  await nurse.goto(`/conversations/${id}`);
  await expect(nurse.getByRole('heading', { level: 1 })).toContainText(subject);
  const banner = readOnlyBanner(nurse);
  await expect(banner).toContainText('Your team is no longer in this conversation');
  await expect(banner).toContainText('Cardiology Nurses has left it or been taken out of it');
  await expect(banner).toContainText('You can still read the messages up to then');
  await expect(nurse.locator('main')).not.toContainText('Your team has access to this patient');
  await expect(nurse.getByText('It is itchy at night.')).toBeVisible();
  await expect(nurse.getByLabel('Your reply')).toHaveCount(0);
  await expectAccessible(nurse);

  // Medical Records has a care relationship with Margaret: offered Join (C3).
  const margaret = await personPage(browser, PATIENT_P9);
  const hers = await writeToNursesAndPals(margaret, `Tablets ${suffix}`, 'Which ones first?');
  const records = await personPage(browser, RECORDS);
  await records.goto(`/conversations/${hers.id}`);
  const recordsBanner = readOnlyBanner(records);
  await expect(recordsBanner).toContainText(
    'You are reading this conversation but not taking part in it',
  );
  await expect(recordsBanner).toContainText('Your team has access to this patient’s record');
  await expect(recordsBanner.getByRole('button', { name: 'Join conversation' })).toBeVisible();
  await expect(records.locator('main')).not.toContainText('no longer in this conversation');

  await patient.context().close();
  await margaret.context().close();
  await manager.context().close();
  await nurse.context().close();
  await records.context().close();
});

test('a reply being written when the team is taken out stays on the page, marked not sent, to copy; taken out again, only what the box then held is kept (M3)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const subject = `Ankle swelling ${suffix}`;
  const patient = await personPage(browser, PATIENT);
  const { id, nurses } = await writeToNursesAndPals(patient, subject, 'My ankles are swollen.');

  const nurse = await personPage(browser, NURSE);
  await nurse.goto(`/conversations/${id}`);
  const draft = `Please raise your legs when you sit, and call us if it gets worse ${suffix} today.`;
  // The last words key by key, as written: the text kept must hold the very last key.
  const typed = ' today.';
  await nurse.getByLabel('Your reply').fill(draft.slice(0, -typed.length));
  await nurse.getByLabel('Your reply').pressSequentially(typed);
  await expect(nurse.getByLabel('Your reply')).toHaveValue(draft);

  const manager = await personPage(browser, MANAGER);
  await apiPost(manager, `/api/v1/conversations/${id}/leave`, { teamId: nurses });

  // The notice comes; the reply box goes, but what she wrote is still there, marked not sent.
  const notice = nurse.getByRole('alert').filter({ hasText: 'no longer in this conversation' });
  await expect(notice).toBeVisible();
  await expect(notice).toBeFocused();
  await expect(nurse.getByLabel('Your reply', { exact: true })).toHaveCount(0);
  await expect(nurse.getByRole('heading', { name: 'Your reply has not been sent' })).toBeVisible();
  const kept = nurse.getByLabel('Your reply (not sent)');
  await expect(kept).toHaveValue(draft);
  await expect(kept).toHaveAttribute('readonly', '');
  await expectAccessible(nurse);

  // Leaving the page asks first, as it did while the reply box held it.
  await notice.getByRole('link', { name: 'Go to the Cardiology Nurses inbox' }).click();
  const dialog = nurse.getByRole('dialog', { name: 'You have not sent your message' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Stay on this page' }).click();
  await expect(kept).toHaveValue(draft);

  // It was not sent: the patient sees only her own message.
  const view = (await (await patient.request.get(`/api/v1/conversations/${id}`)).json()) as {
    messages: { body: string }[];
  };
  expect(view.messages.map((m) => m.body)).toEqual(['My ankles are swollen.']);

  // PALS, still in the conversation, brings the team back: the reply box returns, empty, and
  // the unsent reply goes with the notice.
  const pals = await personPage(browser, PALS);
  await apiPost(pals, `/api/v1/conversations/${id}/participants`, { teamId: nurses });
  await expect(nurse.getByLabel('Your reply', { exact: true })).toHaveValue('');
  await expect(notice).toHaveCount(0);
  await expect(kept).toHaveCount(0);

  // Taken out again with nothing typed since: nothing is shown as unsent, least of all the
  // reply from the first time, which she has already seen.
  await apiPost(manager, `/api/v1/conversations/${id}/leave`, { teamId: nurses });
  await expect(notice).toBeFocused();
  await expect(nurse.getByLabel('Your reply', { exact: true })).toHaveCount(0);
  await expect(nurse.getByRole('heading', { name: 'Your reply has not been sent' })).toHaveCount(0);
  await expect(kept).toHaveCount(0);

  await patient.context().close();
  await manager.context().close();
  await nurse.context().close();
  await pals.context().close();
});
