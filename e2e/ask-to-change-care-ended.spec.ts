import { expect, test, type Page } from '@playwright/test';
import { apiPost as api, expectAccessible, makeCarer, PATIENT_P9, personPage } from './helpers';

/** Margaret (the demo P9 patient) makes David Jones her carer; a clerk books for her. */
const CARER = 'david.jones@demo.carethread.test';
const CLERK = 'appointments.member1@demo.carethread.test';

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

test('a carer whose access ends while asking to change an appointment is told plainly it was not sent, and keeps what she wrote (C1)', async ({
  browser,
}) => {
  const patient = await personPage(browser, PATIENT_P9);
  const carer = await personPage(browser, CARER);
  const { patientId, consentId } = await makeCarer(patient, carer, CARER);

  // A clerk books Margaret an appointment with her nurses, three weeks ahead.
  const recipients = (await (await patient.request.get('/api/v1/me/recipients')).json()) as {
    teams: { id: string; name: string }[];
  };
  const nurses = recipients.teams.find((t) => t.name === 'Cardiology Nurses')!.id;
  const clerk = await personPage(browser, CLERK);
  const booked = await api(clerk, '/api/v1/appointments', {
    patientId,
    teamId: nurses,
    startsAt: new Date(Date.now() + 21 * 24 * 60 * 60 * 1000).toISOString(),
    durationMinutes: 30,
    location: 'Outpatients B, Level 2',
  });
  const appointmentId = booked.id as string;

  // David starts asking to change it for her…
  await carer.goto(`/appointments/${appointmentId}/ask-to-change`);
  await expect(h1(carer)).toContainText('Ask to change the appointment');
  const wrote = 'She cannot come in the mornings, could it be an afternoon?';
  await carer.getByLabel('What would you like?').fill(wrote);

  // …Margaret stops his access before he sends it.
  await api(patient, `/api/v1/carer-consents/${consentId}/revoke`);
  await carer.getByRole('button', { name: 'Send request to change' }).click();

  const summary = carer.locator('.nhsuk-error-summary');
  await expect(summary).toContainText('Your request has not been sent');
  await expect(summary).toContainText('your access has been stopped or has reached its last day');
  await expect(summary).not.toContainText('not found');
  await expect(summary).toBeFocused();
  // What he wrote stays on the page.
  await expect(carer.getByLabel('What would you like?')).toHaveValue(wrote);
  await expectAccessible(carer);

  // Nothing was sent: the appointment has no conversation.
  const after = (await (
    await patient.request.get(`/api/v1/appointments/${appointmentId}`)
  ).json()) as { conversationId: string | null };
  expect(after.conversationId ?? null).toBeNull();

  await patient.context().close();
  await carer.context().close();
  await clerk.context().close();
});
