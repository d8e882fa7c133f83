import { expect, test, type Page } from '@playwright/test';
import { COORDINATOR, expectAccessible, personPage, signIn } from './helpers';

// Aisha Khan has no care teams in the demo, and no conversations with Dermatology Nurses.
const NHS_NUMBER = '9990000034';
const PATIENT = 'Aisha Khan';
const TEAM = 'Dermatology Nurses';
const NURSE = 'dermatology.nurses.member1@demo.carethread.test';
const NOT_LOOKED_AFTER = 'No record with this NHS number is looked after by your teams';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

async function findPatient(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Find a patient' })
    .click();
  await expect(h1(page)).toHaveText('Find a patient');
  await page.getByLabel('NHS number').fill(NHS_NUMBER);
  await page.getByRole('button', { name: 'Find the record' }).click();
}

async function expectNoRecord(nurse: Page): Promise<void> {
  await findPatient(nurse);
  await expect(nurse.locator('.nhsuk-error-summary')).toContainText(NOT_LOOKED_AFTER);
}

test('a coordinator lets a team look after a patient, then ends it after confirming (C2)', async ({
  browser,
}) => {
  const nurse = await personPage(browser, NURSE);
  const coordinator = await personPage(browser, COORDINATOR);

  // Before: Dermatology Nurses cannot open her record.
  await expectNoRecord(nurse);

  // The coordinator finds her: her details and care teams, but not her record.
  await findPatient(coordinator);
  await expect(h1(coordinator)).toContainText(PATIENT);
  await expect(coordinator.getByText(/you cannot open their record/)).toBeVisible();
  const section = coordinator.getByRole('region', { name: `Teams that look after ${PATIENT}` });
  await expect(section).toContainText(`No teams look after ${PATIENT} yet`);
  expect(coordinator.url()).not.toContain(NHS_NUMBER);
  await expectAccessible(coordinator);

  // Adding without choosing a team says what to do.
  await section.getByRole('button', { name: 'Add team' }).click();
  await expect(coordinator.locator('.nhsuk-error-summary')).toBeFocused();
  await expect(coordinator.locator('.nhsuk-error-summary')).toContainText('Choose a team to add');
  await expect(coordinator).toHaveTitle(/^Error: /);
  await expectAccessible(coordinator);

  await section.getByLabel('Team').selectOption({ label: TEAM });
  await section.getByRole('button', { name: 'Add team' }).click();
  await expect(coordinator.getByRole('alert')).toContainText(`${TEAM} now looks after ${PATIENT}`);
  await expect(coordinator.locator('.nhsuk-error-summary')).toHaveCount(0);
  await expect(section.getByRole('row', { name: new RegExp(TEAM) })).toBeVisible();
  // A team already there is not offered again.
  await expect(section.getByLabel('Team').getByRole('option', { name: TEAM })).toHaveCount(0);
  await expectAccessible(coordinator);

  // Now a member of Dermatology Nurses opens her record.
  await findPatient(nurse);
  await expect(h1(nurse)).toContainText(PATIENT);
  await expect(nurse.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  const recordPath = new URL(nurse.url()).pathname;
  // Not a coordinator: no care teams section.
  await expect(nurse.getByRole('heading', { name: /Teams that look after/ })).toHaveCount(0);

  // The coordinator removes it, backing out once first.
  await section.getByRole('link', { name: `Remove ${TEAM}` }).click();
  await expect(h1(coordinator)).toContainText(
    `Are you sure you want to remove ${TEAM} from the teams that look after ${PATIENT}?`,
  );
  await expect(h1(coordinator)).toBeFocused();
  await expect(coordinator.getByRole('main')).toContainText(
    `Members of ${TEAM} will no longer be able to open ${PATIENT}’s record unless they take part in a conversation`,
  );
  await expectAccessible(coordinator);
  await coordinator.getByRole('link', { name: `No, keep ${TEAM}` }).click();
  await expect(section.getByRole('row', { name: new RegExp(TEAM) })).toBeVisible();
  await section.getByRole('link', { name: `Remove ${TEAM}` }).click();
  await coordinator.getByRole('button', { name: `Yes, remove ${TEAM}` }).click();
  await expect(h1(coordinator)).toContainText(PATIENT);
  await expect(coordinator.getByRole('alert')).toContainText(
    `${TEAM} no longer looks after ${PATIENT}`,
  );
  await expect(section).toContainText(`No teams look after ${PATIENT} yet`);
  await expectAccessible(coordinator);

  // After: the nurse can no longer open it, neither by its address nor by its NHS number.
  await nurse.goto(recordPath);
  await expect(h1(nurse)).toHaveText('Page not found');
  await expectNoRecord(nurse);
});

test('a coordinator who adds their own team opens the record there and then (C2)', async ({
  page,
}) => {
  await signIn(page, COORDINATOR);
  await findPatient(page);
  const section = page.getByRole('region', { name: `Teams that look after ${PATIENT}` });
  await section.getByLabel('Team').selectOption({ label: 'PALS' });
  await section.getByRole('button', { name: 'Add team' }).click();
  // Claire Morgan is in PALS: the page becomes the record, the section still below it.
  await expect(page.getByRole('alert')).toContainText(`PALS now looks after ${PATIENT}`);
  await expect(h1(page)).toContainText(PATIENT);
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeVisible();
  await expect(section.getByRole('row', { name: /PALS/ })).toBeVisible();
  await expectAccessible(page);

  await section.getByRole('link', { name: 'Remove PALS' }).click();
  await page.getByRole('button', { name: 'Yes, remove PALS' }).click();
  await expect(page.getByRole('alert')).toContainText(`PALS no longer looks after ${PATIENT}`);
  await expect(page.getByText(/you cannot open their record/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toHaveCount(0);
});
