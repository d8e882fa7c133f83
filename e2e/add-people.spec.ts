import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, PATIENT_P9, personPage } from './helpers';

const NURSE = 'cardiology.nurses.member2@demo.carethread.test';
const TRUST = 'Carethread Demo Hospital NHS Trust';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const people = (page: Page) =>
  page.getByRole('list', { name: 'People in this conversation' }).getByRole('listitem');

test('adding people is confirmed first; Cancel and Back add nobody and keep the search', async ({
  browser,
}) => {
  const subject = `Swollen ankles ${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  await patient.getByRole('checkbox', { name: 'Cardiology Nurses' }).check();
  await patient.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await patient.getByRole('textbox', { name: 'Your message' }).fill('My ankles are swollen again.');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);

  const nurse = await personPage(browser, NURSE);
  await nurse.goto(patient.url());
  await expect(h1(nurse)).toContainText(subject);
  await expect(people(nurse).first()).toBeVisible();
  const before = await people(nurse).allTextContents();
  expect(before.join('\n')).not.toContain('Cardiology Consultants');
  await nurse.getByRole('link', { name: 'Add people' }).click();
  await expect(h1(nurse)).toContainText('Add people to the conversation');

  // A team on the escalation pathway: what adding it means, and its place on the pathway.
  const addConsultants = nurse
    .getByRole('row', { name: /Cardiology Consultants/ })
    .first()
    .getByRole('button', { name: 'Add Cardiology Consultants' });
  await addConsultants.click();
  await expect(h1(nurse)).toContainText('Add Cardiology Consultants to this conversation?');
  await expect(h1(nurse)).toBeFocused();
  await expect(nurse).toHaveTitle('Add Cardiology Consultants to this conversation? – Carethread');
  const main = nurse.getByRole('main');
  await expect(main).toContainText('Second line on the escalation pathway for Cardiology Nurses');
  await expect(main).toContainText(
    `Everyone in Cardiology Consultants (${TRUST}) will see the message already in this conversation and every new one, and can reply. So will anyone who joins the team later.`,
  );
  await expect(main).toContainText('You cannot undo this.');
  await expect(
    nurse.getByRole('button', { name: 'Yes, add Cardiology Consultants' }),
  ).toBeVisible();
  await expectAccessible(nurse);

  // Cancel goes back to the list, to the button that was chosen.
  await nurse.getByRole('link', { name: 'Cancel' }).click();
  await expect(h1(nurse)).toContainText('Add people to the conversation');
  await expect(nurse).toHaveTitle('Add people to the conversation – Carethread');
  await expect(addConsultants).toBeFocused();

  // A person found by searching: Back and Cancel both return to the search as it was.
  const searchBox = nurse.getByLabel('Name (optional)');
  await searchBox.fill('Novak');
  await nurse.getByRole('button', { name: 'Search' }).click();
  const addNovak = nurse
    .getByRole('table', { name: 'Search results' })
    .getByRole('button', { name: 'Add Dr Anna Novak' });
  await addNovak.click();
  await expect(h1(nurse)).toContainText('Add Dr Anna Novak to this conversation?');
  await expect(h1(nurse)).toBeFocused();
  await expect(main).toContainText(
    `Dr Anna Novak (Consultant cardiologist, ${TRUST}) will see the message already in this conversation and every new one, and can reply.`,
  );
  await expect(main).not.toContainText('escalation pathway');
  await expect(searchBox).toBeHidden();
  await expectAccessible(nurse);
  await nurse.goBack();
  await expect(h1(nurse)).toContainText('Add people to the conversation');
  await expect(searchBox).toHaveValue('Novak');
  await expect(addNovak).toBeFocused();
  await addNovak.click();
  await expect(h1(nurse)).toContainText('Add Dr Anna Novak to this conversation?');
  await nurse.getByRole('link', { name: 'Cancel' }).click();
  await expect(searchBox).toHaveValue('Novak');
  await expect(addNovak).toBeFocused();

  // Nobody has been added.
  await nurse.getByRole('link', { name: 'Back to the conversation' }).click();
  await expect(h1(nurse)).toContainText(subject);
  await expect(people(nurse)).toHaveText(before);

  // "Yes, add" adds them; Back from the conversation then shows the list, not the question.
  await nurse.getByRole('link', { name: 'Add people' }).click();
  await searchBox.fill('Novak');
  await nurse.getByRole('button', { name: 'Search' }).click();
  await addNovak.click();
  await nurse.getByRole('button', { name: 'Yes, add Dr Anna Novak' }).click();
  await expect(h1(nurse)).toContainText(subject);
  await expect(nurse.getByRole('alert')).toContainText(
    'Dr Anna Novak has been added to the conversation',
  );
  await expect(people(nurse)).toHaveCount(before.length + 1);
  await expect(people(nurse).filter({ hasText: 'Dr Anna Novak' })).toHaveCount(1);
  await nurse.goBack();
  await expect(h1(nurse)).toContainText('Add people to the conversation');
});
