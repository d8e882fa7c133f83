import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentWorld,
  type AppointmentWorld,
  ask,
  book,
  booking,
} from '../../../../test/appointment-world';
import { consentUrl } from '../../../../test/consent-world';
import { expectStatus } from '../../../../test/conversation-world';
import { expectRefused } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { appointments } from './appointments.schema';

/**
 * DESIGN C1: a carer whose access ends while they fill in "Ask to change" or "Ask to cancel"
 * is told, when they send it, that their access has ended — 404 `carer.access_ended`, as
 * opening the appointment answers — not "Appointment not found". Nothing is sent or changed.
 */

let t: TestApp;
let w: AppointmentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const requestsUrl = (id: string) => `/api/v1/appointments/${id}/requests`;

describe('a carer asking about an appointment after their access ended (C1)', () => {
  let appointmentId: string;

  beforeAll(async () => {
    appointmentId = (await book(w.clerk.client, booking(w, t.clock.now(), 30))).id;
    // Rita opens the form while she still cares for Margaret…
    await expectStatus(
      w.rita.client,
      { method: 'GET', url: `/api/v1/appointments/${appointmentId}` },
      200,
    );
    t.clock.advance(60_000);
    // …and Margaret stops her access before she sends it.
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(w.ritasConsent) },
      200,
    );
    t.clock.advance(60_000);
  });

  it('is told her access has ended: 404 carer.access_ended, and nothing is sent', async () => {
    for (const kind of ['change', 'cancel'] as const) {
      const response = await expectRefused(
        t.db,
        w.rita.client,
        {
          method: 'POST',
          url: requestsUrl(appointmentId),
          payload: { kind, message: 'Could it be a Tuesday?' },
          headers: { 'idempotency-key': `care-ended-${kind}` },
        },
        { status: 404, code: 'carer.access_ended' },
      );
      // No patient data in the answer.
      expect(response.body).not.toContain(w.margaret.name);
      expect(response.body).not.toContain(w.margaret.id);
    }
    const [row] = await t.db
      .select({ conversationId: appointments.conversationId, version: appointments.version })
      .from(appointments)
      .where(eq(appointments.id, appointmentId));
    expect(row?.conversationId).toBeNull();
    expect(row?.version).toBe(1);
  });

  it('someone who never cared for her still gets the plain appointment.not_found', async () => {
    await expectRefused(
      t.db,
      w.otherPatient.client,
      {
        method: 'POST',
        url: requestsUrl(appointmentId),
        payload: { kind: 'change', message: 'Could it be a Tuesday?' },
      },
      { status: 404, code: 'appointment.not_found' },
    );
  });

  it('an appointment booked after her care ended gets the plain not-found', async () => {
    const later = await book(w.clerk.client, booking(w, t.clock.now(), 31));
    const response = await ask(w.rita.client, later.id, { kind: 'cancel', message: 'Please' });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ code: string }>().code).toBe('appointment.not_found');
  });
});

describe('the API description says which 404 a former carer gets', () => {
  it('getConversation, getAppointment, getDocument, downloadDocument and requestAppointmentChange name carer.access_ended', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { operationId?: string; description?: string }>>;
    }>();
    const operations = Object.values(doc.paths).flatMap((path) => Object.values(path));
    for (const id of [
      'getConversation',
      'getAppointment',
      'getDocument',
      'downloadDocument',
      'requestAppointmentChange',
    ]) {
      const operation = operations.find((o) => o.operationId === id);
      expect(operation?.description, id).toContain('`carer.access_ended`');
    }
  });
});
