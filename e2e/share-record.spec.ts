import { expect, test, type Page } from '@playwright/test';
import { asCoordinator, COORDINATOR, expectAccessible, PATIENT_P9, personPage } from './helpers';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('two teams of the same name in a conversation: the share form says which is which (C2)', async ({
  browser,
}) => {
  const suffix = Date.now().toString(36);
  const name = `Wound Clinic ${suffix}`;
  const coordinator = await asCoordinator(await personPage(browser, COORDINATOR));
  for (const [slug, description] of [
    [`wound-clinic-sj-${suffix}`, 'Dressings at St James’s Hospital.'],
    [`wound-clinic-ca-${suffix}`, 'Dressings at Chapel Allerton Hospital.'],
  ] as const) {
    const created = await coordinator.post(
      `/api/v1/organisations/${coordinator.organisationId}/teams`,
      { name, slug, description, contactable: true },
    );
    expect(created.status()).toBe(201);
  }

  const patient = await personPage(browser, PATIENT_P9);
  const subject = `Dressings ${suffix}`;
  await patient.getByRole('link', { name: 'Send a new message' }).click();
  const recipients = patient
    .getByRole('group', { name: 'Who do you want to send your message to?' })
    .getByRole('checkbox', { name, exact: true });
  await expect(recipients).toHaveCount(2);
  await recipients.nth(0).check();
  await recipients.nth(1).check();
  await patient.getByLabel('Subject').fill(subject);
  await patient.getByLabel('Your message').fill('Which clinic should change my dressing?');
  await patient.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(patient)).toContainText(subject);

  const stJames = `${name} (Dressings at St James’s Hospital)`;
  const chapelAllerton = `${name} (Dressings at Chapel Allerton Hospital)`;
  await expect(patient.getByLabel(`How long may ${stJames} see your record?`)).toHaveValue('7');
  await expect(patient.getByLabel(`How long may ${chapelAllerton} see your record?`)).toHaveValue(
    '7',
  );
  await expect(
    patient.getByRole('button', { name: `Share my record with ${stJames}` }),
  ).toBeVisible();
  await expectAccessible(patient);

  await patient.getByRole('button', { name: `Share my record with ${chapelAllerton}` }).click();
  await expect(
    patient
      .getByText(
        new RegExp(`^${chapelAllerton.replace(/[()]/g, '\\$&')} can see your record until`),
      )
      .first(),
  ).toBeVisible();
  await expect(
    patient.getByRole('button', { name: `Stop sharing with ${chapelAllerton}` }),
  ).toBeVisible();
  // The other clinic of that name is still only offered a share.
  await expect(
    patient.getByRole('button', { name: `Share my record with ${stJames}` }),
  ).toBeVisible();
  await expect(patient.getByRole('button', { name: `Stop sharing with ${stJames}` })).toHaveCount(
    0,
  );
  await expectAccessible(patient);
});
