import type { FastifyInstance } from 'fastify';
import type { Database } from '../src/server/platform/db/database';
import { expectStatus, patient, type Person, staff } from './conversation-world';
import { createOrganisation, createTeam } from './factories';
import { signInAs } from './personas';
import type { Client } from './http';

/** Helpers for carer and record-access tests: a small world and the API in short. */

export const consentUrl = {
  invitations: '/api/v1/carer-invitations',
  invitation: (id: string) => `/api/v1/carer-invitations/${id}`,
  accept: '/api/v1/carer-invitations/accept',
  revoke: (consentId: string) => `/api/v1/carer-consents/${consentId}/revoke`,
  myCarers: '/api/v1/me/carers',
  caredFor: '/api/v1/me/cared-for',
  caredForConversations: (patientId: string) => `/api/v1/me/cared-for/${patientId}/conversations`,
  privacy: (conversationId: string) => `/api/v1/conversations/${conversationId}/privacy`,
  carers: (conversationId: string) => `/api/v1/conversations/${conversationId}/carers`,
  grants: '/api/v1/record-access-grants',
  revokeGrant: (id: string) => `/api/v1/record-access-grants/${id}/revoke`,
  myGrants: '/api/v1/me/record-access-grants',
  breakGlass: '/api/v1/break-glass',
  review: (id: string) => `/api/v1/break-glass/${id}/review`,
  accessLog: '/api/v1/me/access-log',
  accessLogCsv: '/api/v1/me/access-log.csv',
};

/**
 * One organisation with a care team (Cardiology Nurses, with a care relationship), PALS
 * (contactable, no relationship), a coordinator; the patient; and two other patients who
 * will become carers — Carol (view and message) and Victor (view only).
 */
export async function consentWorld(app: FastifyInstance, db: Database) {
  const org = await createOrganisation(db);
  const admin = await createTeam(db, org.id, { contactable: false, name: 'Admin' });
  const nurses = await createTeam(db, org.id, { name: 'Cardiology Nurses' });
  const pals = await createTeam(db, org.id, { name: 'PALS' });
  const coordinator = await staff(app, db, org.id, [{ teamId: admin.id, role: 'coordinator' }], {
    name: 'Claire Coordinator',
  });
  const nurse = await staff(app, db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nina Nurse',
  });
  const palsMember = await staff(app, db, org.id, [{ teamId: pals.id, role: 'member' }], {
    name: 'Paul Pals',
  });
  const outsider = await staff(app, db, org.id, [{ teamId: admin.id, role: 'member' }], {
    name: 'Olive Outsider',
  });
  const margaret = await patient(app, db, [org.id], {
    careTeamIds: [nurses.id],
    givenName: 'Margaret',
  });
  const carol = await patient(app, db, [org.id], { givenName: 'Carol' });
  const victor = await patient(app, db, [org.id], { givenName: 'Victor' });
  const unverified = await patient(app, db, [org.id], { givenName: 'Una', identityLevel: 'P5' });
  return {
    org,
    admin,
    nurses,
    pals,
    coordinator,
    nurse,
    palsMember,
    outsider,
    margaret,
    carol,
    victor,
    unverified,
  };
}
export type ConsentWorld = Awaited<ReturnType<typeof consentWorld>>;

/** The patient invites a carer; returns the invitation id and the code to hand over. */
export async function invite(
  inviter: Client,
  email: string,
  level: 'view' | 'message',
  extra: Record<string, unknown> = {},
): Promise<{ id: string; code: string }> {
  const response = await expectStatus(
    inviter,
    { method: 'POST', url: consentUrl.invitations, payload: { email, level, ...extra } },
    201,
  );
  const body = response.json<{ invitation: { id: string }; code: string }>();
  return { id: body.invitation.id, code: body.code };
}

/** Invites and accepts: returns the consent id. */
export async function makeCarer(
  patientPerson: Person,
  carer: Person,
  level: 'view' | 'message',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { code } = await invite(patientPerson.client, carer.email, level, extra);
  const accepted = await expectStatus(
    carer.client,
    { method: 'POST', url: consentUrl.accept, payload: { code } },
    200,
  );
  return accepted.json<{ consentId: string }>().consentId;
}

/**
 * Signs everyone in the world in again: after the test clock moves days ahead, their
 * sessions have ended (30 minutes idle, 12 hours at most) like anyone's would.
 */
export async function signInAgain(app: FastifyInstance, w: ConsentWorld): Promise<void> {
  for (const person of [
    w.coordinator,
    w.nurse,
    w.palsMember,
    w.outsider,
    w.margaret,
    w.carol,
    w.victor,
    w.unverified,
  ]) {
    person.client = await signInAs(app, person.email);
  }
}
