import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { IntegrationScope } from '../src/server/modules/integrations/integrations.schema';
import { INTEGRATION_SCOPES } from '../src/server/modules/integrations/integrations.schema';
import type { Database } from '../src/server/platform/db/database';
import { createOrganisation, createPatient, createProfessional, createTeam } from './factories';
import { type Client, signIn } from './http';

/** A connected system's credentials, as its coordinator received them. */
export interface SystemCredentials {
  clientId: string;
  clientSecret: string;
}

export async function connectSystem(
  coordinator: Client,
  organisationId: string,
  scopes: readonly IntegrationScope[] = INTEGRATION_SCOPES,
  name = 'Ward EPR',
): Promise<SystemCredentials> {
  const response = await coordinator.request({
    method: 'POST',
    url: `/api/v1/organisations/${organisationId}/integration-clients`,
    payload: { name, scopes },
  });
  if (response.statusCode !== 201) throw new Error(`connect failed: ${response.body}`);
  const body = response.json<{ client: { clientId: string }; clientSecret: string }>();
  return { clientId: body.client.clientId, clientSecret: body.clientSecret };
}

/** POSTs a client credentials token request with HTTP Basic, as most systems do. */
export function requestToken(
  app: FastifyInstance,
  credentials: SystemCredentials,
  form: Record<string, string> = { grant_type: 'client_credentials' },
): Promise<LightMyRequestResponse> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
    'base64',
  );
  return app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams(form).toString(),
  });
}

export async function tokenFor(
  app: FastifyInstance,
  credentials: SystemCredentials,
  scope?: string,
): Promise<string> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (scope !== undefined) form.scope = scope;
  const response = await requestToken(app, credentials, form);
  if (response.statusCode !== 200) throw new Error(`token refused: ${response.body}`);
  return response.json<{ access_token: string }>().access_token;
}

/**
 * A FHIR request with a bearer token (or none). A search's form is sent form-encoded (`fhir`);
 * a resource, as FHIR JSON (`fhirJson`).
 */
function fhirRequest(
  app: FastifyInstance,
  token: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: { type: string; payload: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/fhir/R4/${path}`,
    headers: {
      accept: 'application/fhir+json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body ? { 'content-type': body.type } : {}),
    },
    ...(body ? { payload: body.payload } : {}),
  });
}

export const fhir = (
  app: FastifyInstance,
  token: string | null,
  method: 'GET' | 'POST',
  path: string,
  form?: Record<string, string>,
) =>
  fhirRequest(
    app,
    token,
    method,
    path,
    form && {
      type: 'application/x-www-form-urlencoded',
      payload: new URLSearchParams(form).toString(),
    },
  );

export const fhirJson = (
  app: FastifyInstance,
  token: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  resource?: unknown,
) =>
  fhirRequest(
    app,
    token,
    method,
    path,
    resource === undefined
      ? undefined
      : {
          type: 'application/fhir+json',
          payload: JSON.stringify(resource),
        },
  );

/**
 * Two organisations: Trust A, whose Cardiology team looks after `patient`, with a coordinator
 * and a nurse; Trust B, with its own coordinator and a patient of its own.
 */
export async function createIntegrationWorld(app: FastifyInstance, db: Database) {
  const trustA = await createOrganisation(db, 'Trust A');
  const trustB = await createOrganisation(db, 'Trust B');
  const cardiology = await createTeam(db, trustA.id, { name: 'Cardiology' });
  const teamB = await createTeam(db, trustB.id, { name: 'Dermatology B' });
  const coordinatorA = await createProfessional(db, trustA.id, [
    { teamId: cardiology.id, role: 'coordinator' },
  ]);
  const nurseA = await createProfessional(db, trustA.id, [
    { teamId: cardiology.id, role: 'member' },
  ]);
  const coordinatorB = await createProfessional(db, trustB.id, [
    { teamId: teamB.id, role: 'coordinator' },
  ]);
  const patient = await createPatient(db, [trustA.id], { careTeamIds: [cardiology.id] });
  const registeredOnly = await createPatient(db, [trustA.id]);
  const patientB = await createPatient(db, [trustB.id], { careTeamIds: [teamB.id] });
  return {
    trustA,
    trustB,
    cardiology,
    teamB,
    patient,
    registeredOnly,
    patientB,
    coordinatorA: await signIn(app, coordinatorA.email),
    nurseA: await signIn(app, nurseA.email),
    coordinatorB: await signIn(app, coordinatorB.email),
    patientClient: await signIn(app, patient.email),
  };
}
export type IntegrationWorld = Awaited<ReturnType<typeof createIntegrationWorld>>;

/** A FHIR searchset as the tests read it: its links and its entries' resources. */
export interface SearchsetBody<R = Record<string, unknown>> {
  resourceType: 'Bundle';
  type: 'searchset';
  link: { relation: string; url: string }[];
  entry: { fullUrl: string; resource: R; search: { mode: 'match' } }[];
}

/**
 * GETs a FHIR search and every page after it by following each Bundle's `next` link; the
 * pages' bodies, in order. Insists on 200 for every page.
 */
export async function followPages<R = Record<string, unknown>>(
  app: FastifyInstance,
  token: string,
  path: string,
): Promise<SearchsetBody<R>[]> {
  const pages: SearchsetBody<R>[] = [];
  let next: string | undefined = path;
  while (next !== undefined && pages.length < 50) {
    const response = await fhir(app, token, 'GET', next);
    if (response.statusCode !== 200) throw new Error(`page refused: ${response.body}`);
    const page = response.json<SearchsetBody<R>>();
    pages.push(page);
    const url = page.link.find((l) => l.relation === 'next')?.url;
    next = url === undefined ? undefined : url.slice(url.indexOf('/fhir/R4/') + '/fhir/R4/'.length);
  }
  return pages;
}

/** Our stable codes on every issue of a FHIR error (an OperationOutcome), for `toContain`. */
export function outcomeCodes(response: LightMyRequestResponse): string[] {
  const outcome = response.json<{
    resourceType: string;
    issue?: { details?: { coding?: { code: string }[] } }[];
  }>();
  if (outcome.resourceType !== 'OperationOutcome') {
    throw new Error(`not an OperationOutcome: ${response.body}`);
  }
  return (outcome.issue ?? []).flatMap((issue) => (issue.details?.coding ?? []).map((c) => c.code));
}

/** How audit trails name the system `connectSystem` makes for Trust A by default. */
export const SYSTEM_LABEL = 'Ward EPR (a computer system of Trust A)';

/** A FHIR error: the status, FHIR's content type, an OperationOutcome of errors with our code. */
export function expectOutcome(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  const issues = response.json<{ issue: { severity: string }[] }>().issue;
  expect(issues.map((issue) => issue.severity)).toEqual(issues.map(() => 'error'));
  expect(outcomeCodes(response)).toContain(code);
}
