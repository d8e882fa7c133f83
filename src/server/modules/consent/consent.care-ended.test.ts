import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentUrl,
  appointmentWorld,
  type AppointmentWorld,
  book,
  booking,
  DAY_MS,
} from '../../../../test/appointment-world';
import { consentUrl, makeCarer } from '../../../../test/consent-world';
import {
  count,
  expectStatus,
  patient,
  type Person,
  startConversation,
  url,
} from '../../../../test/conversation-world';
import { documentUrl, makePdf, settled, upload } from '../../../../test/documents-world';
import type { Client } from '../../../../test/http';
import { expectRefused, signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * DESIGN C1: a carer's access ends on the very next request once it is stopped or reaches its
 * last day. Opening one conversation, appointment or document of the person they cared for
 * then answers 404 `carer.access_ended` — still "not yours to see", but saying why, so the app
 * can explain instead of showing "Page not found". Only someone who would see the thing had
 * their care not ended is told so: anyone else, and anything they could never have seen
 * (private from carers, or added after their care ended), gets the plain not-found.
 */

let t: TestApp;
let w: AppointmentWorld;
let pdf: Buffer;

beforeAll(async () => {
  t = await buildTestApp();
  w = await appointmentWorld(t.app, t.db);
  pdf = await makePdf();
});
afterAll(async () => t?.close());

/** One conversation, one appointment and one document of Margaret's, as things stand. */
async function margaretsThings() {
  const conversation = await startConversation(w.margaret.client, [{ teamId: w.clinic.id }]);
  const appointment = (await book(w.clerk.client, booking(w, t.clock.now(), 30))).id;
  const document = await upload(
    w.margaret.client,
    { patientId: w.margaret.id, filename: 'letter.pdf' },
    pdf,
  );
  await settled(w.margaret.client, document);
  return [
    { what: 'conversation', url: url.conversation(conversation), id: conversation },
    { what: 'appointment', url: appointmentUrl.one(appointment), id: appointment },
    { what: 'document', url: documentUrl(document), id: document },
    { what: 'document', url: `${documentUrl(document)}/content`, id: document },
  ];
}

type Thing = Awaited<ReturnType<typeof margaretsThings>>[number];

const refused = (client: Client, thing: Thing, code: string) =>
  expectRefused(t.db, client, { method: 'GET', url: thing.url }, { status: 404, code });

const notFoundCode = (thing: Thing) => `${thing.what}.not_found`;

describe('a former carer opening one thing of the person they cared for (C1)', () => {
  let things: Thing[];
  let ritasNewConsent: string;

  beforeAll(async () => {
    things = await margaretsThings();
    for (const thing of things)
      await expectStatus(w.rita.client, { method: 'GET', url: thing.url }, 200);
    t.clock.advance(60_000);
    await expectStatus(
      w.margaret.client,
      { method: 'POST', url: consentUrl.revoke(w.ritasConsent) },
      200,
    );
    t.clock.advance(60_000);
  });

  it('is told their access has ended: 404 carer.access_ended, and nothing changes', async () => {
    for (const thing of things) {
      const response = await refused(w.rita.client, thing, 'carer.access_ended');
      // No patient data in the answer: not whose it was, nor what it is.
      expect(response.body).not.toContain(w.margaret.name);
      expect(response.body).not.toContain(w.margaret.id);
    }
  });

  it('the refused read of the conversation is still audited as denied (C4)', async () => {
    const [conversation] = things;
    const denied = await count(
      t.db,
      sql`select count(*)::int as n from audit_events
           where entity_id = ${conversation?.id} and action = 'conversation.read'
             and outcome = 'denied'`,
    );
    expect(denied).toBeGreaterThan(0);
  });

  it('someone who never cared for her gets the plain not-found, as for no such thing', async () => {
    for (const reader of [w.otherPatient, w.outsider, w.foreigner]) {
      for (const thing of things) await refused(reader.client, thing, notFoundCode(thing));
    }
  });

  it('a thing that does not exist is not found, for the former carer too', async () => {
    await refused(
      w.rita.client,
      { what: 'conversation', url: url.conversation(randomUUID()), id: '' },
      'conversation.not_found',
    );
    await refused(
      w.rita.client,
      { what: 'appointment', url: appointmentUrl.one(randomUUID()), id: '' },
      'appointment.not_found',
    );
    await refused(
      w.rita.client,
      { what: 'document', url: documentUrl(randomUUID()), id: '' },
      'document.not_found',
    );
  });

  it('something added after her care ended was never hers to see: not found', async () => {
    for (const thing of await margaretsThings()) {
      await refused(w.rita.client, thing, notFoundCode(thing));
    }
  });

  it('a conversation private from carers stays not found', async () => {
    // Made private after her care ended: a carer would not see it now either.
    const [conversation] = things;
    await expectStatus(
      w.margaret.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversation?.id ?? ''),
        payload: { privateFromCarers: true },
      },
      200,
    );
    await refused(w.rita.client, conversation!, 'conversation.not_found');
    await expectStatus(
      w.margaret.client,
      {
        method: 'PUT',
        url: consentUrl.privacy(conversation?.id ?? ''),
        payload: { privateFromCarers: false },
      },
      200,
    );
    await refused(w.rita.client, conversation!, 'carer.access_ended');
  });

  it('invited again and accepted, she sees them all again', async () => {
    ritasNewConsent = await makeCarer(w.margaret, w.rita, 'view');
    expect(ritasNewConsent).not.toBe(w.ritasConsent);
    for (const thing of things) {
      await expectStatus(w.rita.client, { method: 'GET', url: thing.url }, 200);
    }
  });
});

describe('a carer whose access reached its last day (C1)', () => {
  let eve: Person;
  let things: Thing[];

  beforeAll(async () => {
    eve = await patient(t.app, t.db, [w.org.id], { givenName: 'Eve' });
    const lastDay = new Date(t.clock.now().getTime() + DAY_MS).toISOString().slice(0, 10);
    await makeCarer(w.margaret, eve, 'message', { endsOn: lastDay });
    things = await margaretsThings();
    for (const thing of things)
      await expectStatus(eve.client, { method: 'GET', url: thing.url }, 200);
    t.clock.advance(3 * DAY_MS);
    // Sessions end after days away, as anyone's would.
    eve.client = await signInAs(t.app, eve.email);
  });

  it('is told their access has ended, as after it was stopped', async () => {
    for (const thing of things) await refused(eve.client, thing, 'carer.access_ended');
  });
});

describe('a consent stopped the moment it began (C1)', () => {
  let zoe: Person;
  let things: Thing[];

  beforeAll(async () => {
    // Sessions end after the days the test before spent away.
    w.margaret.client = await signInAs(t.app, w.margaret.email);
    w.clerk.client = await signInAs(t.app, w.clerk.email);
    zoe = await patient(t.app, t.db, [w.org.id], { givenName: 'Zoe' });
    things = await margaretsThings();
    t.clock.advance(60_000);
    // Accepted and stopped at the same instant: it was never in force.
    const consent = await makeCarer(w.margaret, zoe, 'view');
    await expectStatus(w.margaret.client, { method: 'POST', url: consentUrl.revoke(consent) }, 200);
    t.clock.advance(60_000);
  });

  it('gives no care that ended: the plain not-found', async () => {
    for (const thing of things) await refused(zoe.client, thing, notFoundCode(thing));
  });
});
