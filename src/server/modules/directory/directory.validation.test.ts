import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createProfessional, createTeam } from '../../../../test/factories';
import {
  createPersonaWorld,
  type ExpectedProblem,
  expectRefused,
  type PersonaWorld,
} from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { escalationPathwaySteps } from './directory.schema';

let t: TestApp;
let w: PersonaWorld;
/** Fixtures the bad requests collide with. */
let f: {
  takenSlug: string;
  takenEmail: string;
  target: { id: string };
  professional: { id: string };
  inactiveProfessional: { id: string };
  inactiveTeam: { id: string };
  /** A team for the cases that currently slip through, so they cannot spoil the others. */
  scratch: { id: string };
  scratchForName: { id: string };
};
beforeAll(async () => {
  t = await buildTestApp();
  w = await createPersonaWorld(t.app, t.db);
  const elsewhereTeam = await createTeam(t.db, w.elsewhere.id, { slug: `taken-${unique()}` });
  const professional = await createProfessional(t.db, w.here.id, [], {
    email: `taken-${unique()}@example.test`,
  });
  const target = await createTeam(t.db, w.here.id);
  // The team under change already has a pathway, so a refused replacement must leave it be.
  await t.db
    .insert(escalationPathwaySteps)
    .values({ teamId: w.team.id, position: 0, line: 2, targetTeamId: target.id });
  f = {
    takenSlug: elsewhereTeam.slug,
    takenEmail: professional.email,
    target,
    professional,
    inactiveProfessional: await createProfessional(t.db, w.here.id, [], { active: false }),
    inactiveTeam: await createTeam(t.db, w.here.id, { active: false }),
    scratch: await createTeam(t.db, w.here.id),
    scratchForName: await createTeam(t.db, w.here.id),
  };
});
afterAll(() => t.close());

function unique() {
  return crypto.randomUUID().slice(0, 8);
}
const invalid = (...errors: [field: string, code?: string][]): ExpectedProblem => ({
  status: 400,
  code: 'request.invalid',
  errors: errors.map(([field, code]) => ({ field, code })),
});

interface Case {
  name: string;
  request: () => InjectOptions;
  expected: ExpectedProblem;
}

const teamBody = (fields: Record<string, unknown> = {}) => ({
  name: 'Cardiology Nurses',
  slug: `cardio-${unique()}`,
  contactable: true,
  ...fields,
});
const createTeamWith = (payload: unknown, orgId?: string): InjectOptions => ({
  method: 'POST',
  url: `/api/v1/organisations/${orgId ?? w.here.id}/teams`,
  payload: payload as InjectOptions['payload'],
});
const hours = (opens: string, closes: string, day = 'monday') => [{ day, opens, closes }];

// prettier-ignore
const CREATE_TEAM: Case[] = [
  { name: 'an unknown field', request: () => createTeamWith(teamBody({ colour: 'red' })), expected: invalid(['body/colour', 'field.unknown']) },
  { name: 'contactable: "yes"', request: () => createTeamWith(teamBody({ contactable: 'yes' })), expected: invalid(['body/contactable', 'field.wrong_type']) },
  { name: 'a name of 121 characters', request: () => createTeamWith(teamBody({ name: 'n'.repeat(121) })), expected: invalid(['body/name', 'field.too_long']) },
  { name: 'an empty name', request: () => createTeamWith(teamBody({ name: '' })), expected: invalid(['body/name', 'field.too_short']) },
  { name: 'a name of only spaces', request: () => createTeamWith(teamBody({ name: '   ' })), expected: invalid(['body/name']) },
  { name: 'a name that is a number', request: () => createTeamWith(teamBody({ name: 42 })), expected: invalid(['body/name', 'field.wrong_type']) },
  { name: 'a description of 2001 characters', request: () => createTeamWith(teamBody({ description: 'd'.repeat(2001) })), expected: invalid(['body/description', 'field.too_long']) },
  { name: 'no name', request: () => createTeamWith({ slug: `s-${unique()}`, contactable: true }), expected: invalid(['body/name', 'field.required']) },
  { name: 'no contactable', request: () => createTeamWith({ name: 'X', slug: `s-${unique()}` }), expected: invalid(['body/contactable', 'field.required']) },
  { name: 'a slug with spaces and capitals', request: () => createTeamWith(teamBody({ slug: 'Bad Slug' })), expected: invalid(['body/slug', 'field.bad_format']) },
  { name: 'a slug with a double hyphen', request: () => createTeamWith(teamBody({ slug: 'a--b' })), expected: invalid(['body/slug', 'field.bad_format']) },
  { name: 'a slug with a leading hyphen', request: () => createTeamWith(teamBody({ slug: '-ab' })), expected: invalid(['body/slug', 'field.bad_format']) },
  { name: 'a slug with a trailing hyphen', request: () => createTeamWith(teamBody({ slug: 'ab-' })), expected: invalid(['body/slug', 'field.bad_format']) },
  { name: 'a slug with a slash', request: () => createTeamWith(teamBody({ slug: 'ab/cd' })), expected: invalid(['body/slug', 'field.bad_format']) },
  { name: 'a one-character slug', request: () => createTeamWith(teamBody({ slug: 'a' })), expected: invalid(['body/slug', 'field.too_short']) },
  { name: 'a 61-character slug', request: () => createTeamWith(teamBody({ slug: 'a'.repeat(61) })), expected: invalid(['body/slug', 'field.too_long']) },
  { name: 'a phone number in words', request: () => createTeamWith(teamBody({ phone: 'call me' })), expected: invalid(['body/phone', 'field.bad_format']) },
  { name: 'closing before opening', request: () => createTeamWith(teamBody({ openingHours: hours('17:00', '09:00') })), expected: invalid(['body/openingHours/0', 'team.opening_hours_invalid']) },
  { name: 'closing when opening', request: () => createTeamWith(teamBody({ openingHours: hours('09:00', '09:00') })), expected: invalid(['body/openingHours/0', 'team.opening_hours_invalid']) },
  { name: 'closing before opening on the second day', request: () => createTeamWith(teamBody({ openingHours: [...hours('09:00', '17:00'), ...hours('13:00', '12:59', 'tuesday')] })), expected: invalid(['body/openingHours/1', 'team.opening_hours_invalid']) },
  // Decision 0013: one day's periods must not overlap, or the team's page lists them twice.
  { name: 'the same period twice on one day', request: () => createTeamWith(teamBody({ openingHours: [...hours('09:00', '17:00'), ...hours('09:00', '17:00')] })), expected: invalid(['body/openingHours/1', 'team.opening_hours_overlap']) },
  { name: 'overlapping periods on one day', request: () => createTeamWith(teamBody({ openingHours: [...hours('13:00', '17:00'), ...hours('09:00', '13:30')] })), expected: invalid(['body/openingHours/1', 'team.opening_hours_overlap']) },
  { name: 'opening at 24:00', request: () => createTeamWith(teamBody({ openingHours: hours('24:00', '24:30') })), expected: invalid(['body/openingHours/0/opens', 'field.bad_format']) },
  { name: 'a time without a colon', request: () => createTeamWith(teamBody({ openingHours: hours('0900', '1700') })), expected: invalid(['body/openingHours/0/opens', 'field.bad_format'], ['body/openingHours/0/closes', 'field.bad_format']) },
  { name: 'a day that does not exist', request: () => createTeamWith(teamBody({ openingHours: hours('09:00', '17:00', 'funday') })), expected: invalid(['body/openingHours/0/day', 'field.not_allowed']) },
  { name: 'an unknown field in opening hours', request: () => createTeamWith(teamBody({ openingHours: [{ day: 'monday', opens: '09:00', closes: '17:00', note: 'x' }] })), expected: invalid(['body/openingHours/0/note', 'field.unknown']) },
  { name: '22 opening periods', request: () => createTeamWith(teamBody({ openingHours: Array.from({ length: 22 }, () => hours('09:00', '17:00')[0]) })), expected: invalid(['body/openingHours', 'field.too_many']) },
  { name: 'a slug another organisation already uses', request: () => createTeamWith(teamBody({ slug: f.takenSlug })), expected: { status: 409, code: 'team.slug_taken' } },
  { name: 'an organisation id that is not a uuid', request: () => createTeamWith(teamBody(), 'not-a-uuid'), expected: invalid(['params/organisationId', 'field.bad_format']) },
  { name: 'an organisation id in urn:uuid: form', request: () => createTeamWith(teamBody(), `urn:uuid:${w.here.id}`), expected: invalid(['params/organisationId', 'field.bad_format']) },
  { name: 'an organisation that does not exist', request: () => createTeamWith(teamBody(), crypto.randomUUID()), expected: { status: 404, code: 'organisation.not_found' } },
  { name: 'a JSON array', request: () => createTeamWith([teamBody()]), expected: invalid(['body', 'field.wrong_type']) },
  { name: 'malformed JSON', request: () => ({ ...createTeamWith('{"name": "X",'), headers: { 'content-type': 'application/json' } }), expected: { status: 400, code: 'request.malformed' } },
  { name: 'an empty JSON body', request: () => ({ ...createTeamWith(''), headers: { 'content-type': 'application/json' } }), expected: { status: 400, code: 'request.malformed' } },
  { name: 'no body at all', request: () => ({ method: 'POST', url: `/api/v1/organisations/${w.here.id}/teams` }), expected: invalid(['body', 'field.wrong_type']) },
  { name: 'an XML body', request: () => ({ ...createTeamWith('<team/>'), headers: { 'content-type': 'application/xml' } }), expected: { status: 415, code: 'request.unsupported_media_type' } },
  { name: 'a form-encoded body', request: () => ({ ...createTeamWith('name=X&slug=xy&contactable=true'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), expected: { status: 415, code: 'request.unsupported_media_type' } },
  // JSON is the one body the API reads (decision 0004): text/plain too is refused by type.
  { name: 'a text/plain body', request: () => ({ ...createTeamWith(JSON.stringify(teamBody())), headers: { 'content-type': 'text/plain' } }), expected: { status: 415, code: 'request.unsupported_media_type' } },
];

const updateTeamWith = (payload: unknown, teamId?: string): InjectOptions => ({
  method: 'PATCH',
  url: `/api/v1/teams/${teamId ?? w.team.id}`,
  payload: payload as InjectOptions['payload'],
});

// prettier-ignore
const UPDATE_TEAM: Case[] = [
  { name: 'an empty body', request: () => updateTeamWith({}), expected: invalid(['body', 'field.empty']) },
  { name: 'a slug (not changeable)', request: () => updateTeamWith({ slug: 'new-slug' }), expected: invalid(['body/slug', 'field.unknown']) },
  { name: 'an organisation id (not changeable)', request: () => updateTeamWith({ organisationId: w.elsewhere.id }), expected: invalid(['body/organisationId', 'field.unknown']) },
  { name: 'contactable: "yes"', request: () => updateTeamWith({ contactable: 'yes' }), expected: invalid(['body/contactable', 'field.wrong_type']) },
  { name: 'active: "false"', request: () => updateTeamWith({ active: 'false' }), expected: invalid(['body/active', 'field.wrong_type']) },
  { name: 'a name of 121 characters', request: () => updateTeamWith({ name: 'n'.repeat(121) }), expected: invalid(['body/name', 'field.too_long']) },
  { name: 'a name of only spaces', request: () => updateTeamWith({ name: '   ' }, f.scratchForName.id), expected: invalid(['body/name']) },
  { name: 'a description of 2001 characters', request: () => updateTeamWith({ description: 'd'.repeat(2001) }), expected: invalid(['body/description', 'field.too_long']) },
  { name: 'closing before opening', request: () => updateTeamWith({ openingHours: hours('17:30', '08:00') }), expected: invalid(['body/openingHours/0', 'team.opening_hours_invalid']) },
  { name: 'overlapping periods on one day', request: () => updateTeamWith({ openingHours: [...hours('08:00', '12:00'), ...hours('11:59', '17:00')] }), expected: invalid(['body/openingHours/1', 'team.opening_hours_overlap']) },
  { name: 'a team id that is not a uuid', request: () => updateTeamWith({ name: 'X' }, '123'), expected: invalid(['params/teamId', 'field.bad_format']) },
  { name: 'a team that does not exist', request: () => updateTeamWith({ name: 'X' }, crypto.randomUUID()), expected: { status: 404, code: 'team.not_found' } },
  { name: 'malformed JSON', request: () => ({ ...updateTeamWith('{name: X}'), headers: { 'content-type': 'application/json' } }), expected: { status: 400, code: 'request.malformed' } },
];

const putMember = (
  payload: unknown,
  ids: { teamId?: string; professionalId?: string } = {},
): InjectOptions => ({
  method: 'PUT',
  url: `/api/v1/teams/${ids.teamId ?? w.team.id}/members/${ids.professionalId ?? f.professional.id}`,
  payload: payload as InjectOptions['payload'],
});
const deleteMember = (ids: { teamId?: string; professionalId?: string } = {}): InjectOptions => ({
  method: 'DELETE',
  url: `/api/v1/teams/${ids.teamId ?? w.team.id}/members/${ids.professionalId ?? f.professional.id}`,
});

// prettier-ignore
const MEMBERS: Case[] = [
  { name: 'addTeamMember: a role that does not exist', request: () => putMember({ role: 'owner', contactable: false }), expected: invalid(['body/role', 'field.not_allowed']) },
  { name: 'addTeamMember: contactable: "yes"', request: () => putMember({ role: 'member', contactable: 'yes' }), expected: invalid(['body/contactable', 'field.wrong_type']) },
  { name: 'addTeamMember: no role', request: () => putMember({ contactable: false }), expected: invalid(['body/role', 'field.required']) },
  { name: 'addTeamMember: an unknown field', request: () => putMember({ role: 'member', contactable: false, since: '2020' }), expected: invalid(['body/since', 'field.unknown']) },
  { name: 'addTeamMember: a professional id that is not a uuid', request: () => putMember({ role: 'member', contactable: false }, { professionalId: 'abc' }), expected: invalid(['params/professionalId', 'field.bad_format']) },
  { name: 'addTeamMember: a professional who does not exist', request: () => putMember({ role: 'member', contactable: false }, { professionalId: crypto.randomUUID() }), expected: { status: 404, code: 'professional.not_found' } },
  { name: 'addTeamMember: an inactive professional', request: () => putMember({ role: 'member', contactable: false }, { professionalId: f.inactiveProfessional.id }), expected: { status: 409, code: 'professional.inactive' } },
  { name: 'addTeamMember: a team that does not exist', request: () => putMember({ role: 'member', contactable: false }, { teamId: crypto.randomUUID() }), expected: { status: 404, code: 'team.not_found' } },
  { name: 'removeTeamMember: someone who is not a member', request: () => deleteMember(), expected: { status: 404, code: 'team.member_not_found' } },
  { name: 'removeTeamMember: a team id that is not a uuid', request: () => deleteMember({ teamId: 'team-1' }), expected: invalid(['params/teamId', 'field.bad_format']) },
  { name: 'removeTeamMember: a team that does not exist', request: () => deleteMember({ teamId: crypto.randomUUID() }), expected: { status: 404, code: 'team.not_found' } },
];

const setPathway = (steps: unknown, teamId?: string): InjectOptions => ({
  method: 'PUT',
  url: `/api/v1/teams/${teamId ?? w.team.id}/escalation-pathway`,
  payload: { steps },
});

// prettier-ignore
const PATHWAY: Case[] = [
  { name: 'a pathway to itself', request: () => setPathway([{ line: 2, teamId: w.team.id }]), expected: invalid(['body/steps/0', 'pathway.self']) },
  // Ids have one canonical, lower-case form, so a capitalised id cannot dodge the checks.
  { name: 'a pathway to itself, id in capitals', request: () => setPathway([{ line: 2, teamId: f.scratch.id.toUpperCase() }], f.scratch.id), expected: invalid(['body/steps/0/teamId', 'field.bad_format']) },
  { name: 'the same team twice', request: () => setPathway([{ line: 2, teamId: f.target.id }, { line: 3, teamId: f.target.id }]), expected: invalid(['body/steps/1', 'pathway.duplicate_step']) },
  { name: 'the same team twice, once in capitals', request: () => setPathway([{ line: 2, teamId: f.target.id }, { line: 3, teamId: f.target.id.toUpperCase() }], f.scratch.id), expected: invalid(['body/steps/1/teamId', 'field.bad_format']) },
  { name: 'the same professional twice', request: () => setPathway([{ line: 2, professionalId: f.professional.id }, { line: 2, professionalId: f.professional.id }]), expected: invalid(['body/steps/1', 'pathway.duplicate_step']) },
  { name: 'third line before second', request: () => setPathway([{ line: 3, teamId: f.target.id }, { line: 2, professionalId: f.professional.id }]), expected: invalid(['body/steps/1', 'pathway.out_of_order']) },
  { name: 'a team that does not exist', request: () => setPathway([{ line: 2, teamId: crypto.randomUUID() }]), expected: invalid(['body/steps/0', 'pathway.unknown_team']) },
  { name: 'an inactive team', request: () => setPathway([{ line: 2, teamId: f.inactiveTeam.id }]), expected: invalid(['body/steps/0', 'pathway.unknown_team']) },
  { name: 'a professional who does not exist', request: () => setPathway([{ line: 2, professionalId: crypto.randomUUID() }]), expected: invalid(['body/steps/0', 'pathway.unknown_professional']) },
  { name: 'an inactive professional', request: () => setPathway([{ line: 3, professionalId: f.inactiveProfessional.id }]), expected: invalid(['body/steps/0', 'pathway.unknown_professional']) },
  { name: 'a fourth line', request: () => setPathway([{ line: 4, teamId: f.target.id }]), expected: invalid(['body/steps/0/line', 'field.not_allowed']) },
  { name: 'line as a string', request: () => setPathway([{ line: '2', teamId: f.target.id }]), expected: invalid(['body/steps/0/line', 'field.not_allowed']) },
  { name: 'a step naming both a team and a professional', request: () => setPathway([{ line: 2, teamId: f.target.id, professionalId: f.professional.id }]), expected: invalid(['body/steps/0/professionalId', 'field.unknown']) },
  { name: 'a step naming neither', request: () => setPathway([{ line: 2 }]), expected: invalid(['body/steps/0/teamId', 'field.required']) },
  { name: 'a target id that is not a uuid', request: () => setPathway([{ line: 2, teamId: 'pals' }]), expected: invalid(['body/steps/0/teamId', 'field.bad_format']) },
  { name: 'eleven steps', request: () => setPathway(Array.from({ length: 11 }, () => ({ line: 2, teamId: crypto.randomUUID() }))), expected: invalid(['body/steps', 'field.too_many']) },
  { name: 'no steps field', request: () => ({ method: 'PUT', url: `/api/v1/teams/${w.team.id}/escalation-pathway`, payload: {} }), expected: invalid(['body/steps', 'field.required']) },
  { name: 'a team that does not exist (path)', request: () => setPathway([{ line: 2, teamId: f.target.id }], crypto.randomUUID()), expected: { status: 404, code: 'team.not_found' } },
];

const createProfessionalWith = (payload: unknown, orgId?: string): InjectOptions => ({
  method: 'POST',
  url: `/api/v1/organisations/${orgId ?? w.here.id}/professionals`,
  payload: payload as InjectOptions['payload'],
});
const professionalBody = (fields: Record<string, unknown> = {}) => ({
  name: 'Nadia Nurse',
  jobTitle: 'Staff Nurse',
  email: `nadia-${unique()}@example.test`,
  ...fields,
});

// prettier-ignore
const PROFESSIONALS: Case[] = [
  { name: 'an email already in use', request: () => createProfessionalWith(professionalBody({ email: f.takenEmail })), expected: { status: 409, code: 'professional.email_taken' } },
  { name: 'an email already in use, in capitals', request: () => createProfessionalWith(professionalBody({ email: f.takenEmail.toUpperCase() })), expected: { status: 409, code: 'professional.email_taken' } },
  { name: 'an email already in use, in another organisation', request: () => createProfessionalWith(professionalBody({ email: f.takenEmail }), w.elsewhere.id), expected: { status: 403, code: 'professional.forbidden' } },
  { name: 'an email that is not one', request: () => createProfessionalWith(professionalBody({ email: 'nadia at example' })), expected: invalid(['body/email', 'field.bad_format']) },
  { name: 'a name of 121 characters', request: () => createProfessionalWith(professionalBody({ name: 'n'.repeat(121) })), expected: invalid(['body/name', 'field.too_long']) },
  { name: 'a name of only spaces', request: () => createProfessionalWith(professionalBody({ name: '  ' })), expected: invalid(['body/name']) },
  { name: 'no job title', request: () => createProfessionalWith({ name: 'A', email: `a-${unique()}@example.test` }), expected: invalid(['body/jobTitle', 'field.required']) },
  { name: 'an unknown field', request: () => createProfessionalWith(professionalBody({ role: 'coordinator' })), expected: invalid(['body/role', 'field.unknown']) },
  { name: 'an organisation that does not exist', request: () => createProfessionalWith(professionalBody(), crypto.randomUUID()), expected: { status: 404, code: 'organisation.not_found' } },
];

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const get = (url: string): InjectOptions => ({ method: 'GET', url });

// prettier-ignore
const QUERIES: Case[] = [
  { name: 'listTeams: a cursor this server did not make', request: () => get('/api/v1/teams?cursor=not-a-cursor'), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listTeams: a cursor of the wrong shape', request: () => get(`/api/v1/teams?cursor=${cursorOf(['PALS'])}`), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listTeams: a cursor with numbers', request: () => get(`/api/v1/teams?cursor=${cursorOf(['PALS', 7])}`), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listTeams: a cursor whose id is not a uuid', request: () => get(`/api/v1/teams?cursor=${cursorOf(['PALS', 'not-a-uuid'])}`), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listTeams: a cursor of 513 characters', request: () => get(`/api/v1/teams?cursor=${'a'.repeat(513)}`), expected: invalid(['querystring/cursor', 'field.too_long']) },
  { name: 'listTeams: limit=0', request: () => get('/api/v1/teams?limit=0'), expected: invalid(['querystring/limit', 'field.bad_format']) },
  { name: 'listTeams: limit=-1', request: () => get('/api/v1/teams?limit=-1'), expected: invalid(['querystring/limit', 'field.bad_format']) },
  { name: 'listTeams: limit=ten', request: () => get('/api/v1/teams?limit=ten'), expected: invalid(['querystring/limit', 'field.bad_format']) },
  { name: 'listTeams: limit=1000', request: () => get('/api/v1/teams?limit=1000'), expected: invalid(['querystring/limit', 'field.bad_format']) },
  { name: 'listTeams: an unknown parameter', request: () => get('/api/v1/teams?offset=10'), expected: invalid(['querystring/offset', 'field.unknown']) },
  { name: 'listTeams: an organisation id that is not a uuid', request: () => get('/api/v1/teams?organisationId=nhs'), expected: invalid(['querystring/organisationId', 'field.bad_format']) },
  { name: 'listProfessionals: a cursor this server did not make', request: () => get('/api/v1/professionals?cursor=%7B%7D'), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listProfessionals: a cursor whose id is not a uuid', request: () => get(`/api/v1/professionals?cursor=${cursorOf(['Nadia', 'x'])}`), expected: { status: 400, code: 'request.invalid_cursor' } },
  { name: 'listProfessionals: a search of 101 characters', request: () => get(`/api/v1/professionals?q=${'q'.repeat(101)}`), expected: invalid(['querystring/q', 'field.too_long']) },
  { name: 'getTeam: an id that is not a uuid', request: () => get('/api/v1/teams/pals'), expected: invalid(['params/teamId', 'field.bad_format']) },
  { name: 'getTeam: an id in urn:uuid: form', request: () => get(`/api/v1/teams/urn:uuid:${crypto.randomUUID()}`), expected: invalid(['params/teamId', 'field.bad_format']) },
  { name: 'getTeam: a team that does not exist', request: () => get(`/api/v1/teams/${crypto.randomUUID()}`), expected: { status: 404, code: 'team.not_found' } },
  { name: 'an endpoint that does not exist', request: () => get('/api/v1/teamz'), expected: { status: 404, code: 'route.not_found' } },
];

describe.each([
  ['createTeam', CREATE_TEAM],
  ['updateTeam', UPDATE_TEAM],
  ['team members', MEMBERS],
  ['setEscalationPathway (DESIGN §1 escalation pathway)', PATHWAY],
  ['createProfessional', PROFESSIONALS],
  ['directory queries', QUERIES],
])(
  '%s refuses bad input with a stable code and changes nothing (DESIGN §5, §6)',
  (_name, cases) => {
    test.each(cases)('$name', async ({ request, expected }) => {
      await expectRefused(t.db, w.clients.coordinatorHere, request(), expected);
    });
  },
);

describe('the same bad input succeeds once corrected (the cases test what they name)', () => {
  it('createTeam with the slug fixed', async () => {
    const response = await w.clients.coordinatorHere.request(
      createTeamWith(teamBody({ openingHours: hours('09:00', '17:00') })),
    );
    expect(response.statusCode, response.body).toBe(201);
  });

  it('setEscalationPathway with distinct, ordered steps', async () => {
    const response = await w.clients.coordinatorHere.request(
      setPathway([
        { line: 2, teamId: f.target.id },
        { line: 3, professionalId: f.professional.id },
      ]),
    );
    expect(response.statusCode, response.body).toBe(200);
  });

  it('createProfessional with a new email', async () => {
    const response = await w.clients.coordinatorHere.request(
      createProfessionalWith(professionalBody()),
    );
    expect(response.statusCode, response.body).toBe(201);
  });
});

describe('duplicate slugs (team.slug_taken)', () => {
  it('refuses a second team with a slug used in the same organisation, then one differing only in case is invalid', async () => {
    const slug = `dup-${unique()}`;
    const first = await w.clients.coordinatorHere.request(createTeamWith(teamBody({ slug })));
    expect(first.statusCode).toBe(201);
    await expectRefused(
      t.db,
      w.clients.coordinatorHere,
      createTeamWith(teamBody({ slug, name: 'Other' })),
      { status: 409, code: 'team.slug_taken' },
    );
    await expectRefused(
      t.db,
      w.clients.coordinatorHere,
      createTeamWith(teamBody({ slug: slug.toUpperCase() })),
      invalid(['body/slug', 'field.bad_format']),
    );
  });
});

describe('opening hours problems name the day and say what to do (decision 0013)', () => {
  it('overlapping periods: the day as people write it, the two periods, and how to fix them', async () => {
    const response = await w.clients.coordinatorHere.request(
      updateTeamWith({
        openingHours: [...hours('09:00', '12:30'), ...hours('12:00', '17:00')],
      }),
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ errors: unknown[] }>().errors).toEqual([
      expect.objectContaining({
        field: 'body/openingHours/1',
        code: 'team.opening_hours_overlap',
        message:
          'On Monday 12:00 to 17:00 overlaps 09:00 to 12:30: make one period close before the next one opens, or make them one period',
      }),
    ]);
  });

  it('a period that closes before it opens', async () => {
    const response = await w.clients.coordinatorHere.request(
      updateTeamWith({ openingHours: hours('17:00', '09:00', 'tuesday') }),
    );
    expect(response.json<{ errors: { message: string }[] }>().errors).toEqual([
      expect.objectContaining({
        message: 'On Tuesday the closing time must be after the opening time',
      }),
    ]);
  });
});
