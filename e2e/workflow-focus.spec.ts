import { expect, test, type Page } from '@playwright/test';
import { apiPost, expectAccessible, PATIENT_P9, personPage, sendNewMessage } from './helpers';

const NURSE_A = 'cardiology.nurses.member1@demo.carethread.test';
const NURSE_B = 'cardiology.nurses.member2@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const inboxViews = (page: Page) => page.getByRole('navigation', { name: 'Inbox views' });

test('a colleague’s claim, arriving live, leaves focus on what happened, not at the top (W1)', async ({
  browser,
}) => {
  const subject = `Swollen ankles ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'My ankles have swollen up.');

  const nurseA = await personPage(browser, NURSE_A);
  const nurseB = await personPage(browser, NURSE_B);
  for (const nurse of [nurseA, nurseB]) {
    await nurse.goto(patient.url());
    await expect(h1(nurse)).toContainText(subject);
  }
  // Nurse A is on "Assign to me" (tabbed there, about to press it) when Nurse B takes it.
  const claim = nurseA.getByRole('button', { name: 'Assign to me' });
  await claim.focus();
  await expect(claim).toBeFocused();
  await nurseB.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurseB.getByRole('alert')).toContainText('now assigned to you');

  // The live update takes the button away; focus lands on the status that says who has it.
  const status = nurseA.getByText(/^Assigned to Katie Fox/);
  await expect(status).toBeVisible();
  await expect(claim).toHaveCount(0);
  await expect(status.locator('xpath=..')).toBeFocused();
  await expectAccessible(nurseA);

  // Nurse B archives it; Nurse A's own Reopen still ends on its success message, which the
  // status does not take from it.
  await nurseB.getByRole('button', { name: 'Archive' }).click();
  await expect(nurseB.getByRole('alert')).toContainText('has been archived');
  await expect(nurseA.getByText('Archived', { exact: true })).toBeVisible();
  await nurseA.getByRole('button', { name: 'Reopen' }).click();
  await expect(nurseA.getByRole('alert')).toContainText('back in Unassigned');
  await expect(nurseA.getByRole('alert')).toBeFocused();
});

test('after a click on plain text, a colleague’s claim arriving live does not pull focus to the panel (W1)', async ({
  browser,
}) => {
  const subject = `Dizzy spells ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'I get dizzy when I stand up.');

  const nurseA = await personPage(browser, NURSE_A);
  const nurseB = await personPage(browser, NURSE_B);
  for (const nurse of [nurseA, nurseB]) {
    await nurse.goto(patient.url());
    await expect(h1(nurse)).toContainText(subject);
  }
  // Nurse A was on "Assign to me", then clicked plain words at the foot of the page: focus is
  // on nothing in particular (as after switching window), and the button is no longer theirs.
  const claim = nurseA.getByRole('button', { name: 'Assign to me' });
  await claim.focus();
  await expect(claim).toBeFocused();
  await nurseA.getByText(/^Carethread — secure messaging/).click();
  await expect(claim).not.toBeFocused();
  expect(await nurseA.evaluate(() => document.activeElement === document.body)).toBe(true);
  const scrolled = await nurseA.evaluate(() => window.scrollY);

  await nurseB.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurseB.getByRole('alert')).toContainText('now assigned to you');

  // The live update takes the button away; focus stays where the reader left it.
  const status = nurseA.getByText(/^Assigned to Katie Fox/);
  await expect(status).toBeVisible();
  await expect(claim).toHaveCount(0);
  await expect(status.locator('xpath=..')).not.toBeFocused();
  expect(await nurseA.evaluate(() => document.activeElement === document.body)).toBe(true);
  expect(await nurseA.evaluate(() => window.scrollY)).toBe(scrolled);
});

test('the team inbox names its view in the title, and sorts only what can be sorted (W4)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE_A);
  await nurse.goto('/inbox');
  await expect(h1(nurse)).toContainText('Cardiology Nurses');
  // The first page loaded says which view it is, as every view after it does.
  await expect(nurse).toHaveTitle('Unassigned – Cardiology Nurses inbox – Carethread');

  // Sorting, then Back: the choice shown is the order the list is in.
  await nurse.getByLabel('Sort by').selectOption('newest');
  await nurse.getByRole('button', { name: 'Sort' }).click();
  await expect(nurse).toHaveURL(/sort=newest/);
  await nurse.goBack();
  await expect(nurse).not.toHaveURL(/sort=newest/);
  await expect(nurse.getByLabel('Sort by')).toHaveValue('waiting');

  // Nobody waits on archived work: its list is newest activity first, with nothing to choose.
  await inboxViews(nurse)
    .getByRole('link', { name: /^Archived/ })
    .click();
  await expect(nurse).toHaveTitle('Archived – Cardiology Nurses inbox – Carethread');
  await expect(nurse.getByLabel('Sort by')).toHaveCount(0);
  await expectAccessible(nurse);
});

test('filtered to one patient, a view where they have nothing still names them', async ({
  browser,
}) => {
  const subject = `Breathless ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, 'I get breathless on the stairs.');

  const nurse = await personPage(browser, NURSE_A);
  await nurse
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Team inbox' })
    .click();
  await expect(h1(nurse)).toContainText('Cardiology Nurses');
  await nurse
    .getByRole('row', { name: new RegExp(subject) })
    .getByRole('link', { name: 'Only this patient (Margaret Thompson)', exact: true })
    .click();
  const showing = nurse.getByText(/^Showing conversations with/);
  await expect(showing).toHaveText(/with Margaret Thompson only/);

  // Earlier journeys may have archived some of her conversations with the team: the nurses
  // reopen them (decision 0024), so that her Archived view really is empty.
  await emptyArchiveOf(nurse, new URL(nurse.url()).searchParams.get('patientId') ?? '');

  // Her Archived view, with nothing in it, still says whose conversations would be there.
  await inboxViews(nurse)
    .getByRole('link', { name: /^Archived/ })
    .click();
  await expect(nurse.getByRole('heading', { level: 2, name: 'Archived' })).toBeVisible();
  await expect(nurse.getByText('There are no conversations here.')).toBeVisible();
  await expect(showing).toHaveText(/with Margaret Thompson only/);
});

/** Reopens, through the API, each conversation of the patient's in the nurse's team's Archived view. */
async function emptyArchiveOf(nurse: Page, patientId: string) {
  expect(patientId).not.toBe('');
  const session = (await (await nurse.request.get('/api/v1/session')).json()) as {
    user: { memberships: { teamId: string; teamName: string }[] };
  };
  const teamId = session.user.memberships.find((m) => m.teamName === 'Cardiology Nurses')!.teamId;
  const archived = `/api/v1/teams/${teamId}/inbox?view=archived&patientId=${patientId}&limit=200`;
  const page = (await (await nurse.request.get(archived)).json()) as {
    items: { conversationId: string }[];
  };
  for (const { conversationId } of page.items) {
    await apiPost(nurse, `/api/v1/conversations/${conversationId}/teams/${teamId}/reopen`);
  }
}
