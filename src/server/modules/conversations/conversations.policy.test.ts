import { randomUUID } from 'node:crypto';
import { describe, expect, it, test } from 'vitest';
import { patientActor, professionalActor } from '../../../../test/personas';
import type { Actor } from '../identity/actor';
import {
  can,
  canWork,
  CONVERSATION_ACTIONS,
  type ConversationAction,
  type ConversationFacts,
  TEAM_WORK_ACTIONS,
  type TeamWorkAction,
  type TeamWorkFacts,
} from './conversations.policy';

const PERSONAS = [
  'patient',
  'patientP5',
  'otherPatient',
  'member',
  'otherTeamMember',
  'manager',
  'individual',
  'recordAccess',
  'former',
  'coordinator',
  'carerView',
  'carerMessage',
  'carerRevoked',
  'carerExpired',
  'grantTeam',
  'expiredGrantTeam',
  'breakGlass',
  'anonymous',
] as const;
type Persona = (typeof PERSONAS)[number];

const here = randomUUID();
const team = randomUUID(); // participates
const otherTeam = randomUUID(); // does not participate, no record access
const careTeam = randomUUID(); // care relationship with the patient, not participating
const individualsTeam = randomUUID(); // the individual participant's own team, not participating
const formerTeam = randomUUID();
const adminTeam = randomUUID();
const patientId = randomUUID();
const grantTeam = randomUUID(); // the patient shared the record with it: in force
const expiredGrantTeam = randomUUID(); // shared for 7 days, 8 days ago
const noTeam = randomUUID(); // the break-glass professional's team: no access of its own
const at = new Date('2026-11-25T09:00:00.000Z');
const days = (n: number) => new Date(at.getTime() + n * 24 * 60 * 60 * 1000);

const actors: Record<Persona, Actor> = {
  patient: patientActor(patientId, 'P9'),
  patientP5: patientActor(patientId, 'P5'),
  otherPatient: patientActor(),
  member: professionalActor([{ teamId: team, organisationId: here, role: 'member' }]),
  otherTeamMember: professionalActor([{ teamId: otherTeam, organisationId: here, role: 'member' }]),
  manager: professionalActor([{ teamId: team, organisationId: here, role: 'manager' }]),
  individual: professionalActor([
    { teamId: individualsTeam, organisationId: here, role: 'member' },
  ]),
  recordAccess: professionalActor([{ teamId: careTeam, organisationId: here, role: 'member' }]),
  former: professionalActor([{ teamId: formerTeam, organisationId: here, role: 'member' }]),
  coordinator: professionalActor([
    { teamId: adminTeam, organisationId: here, role: 'coordinator' },
  ]),
  carerView: patientActor(),
  carerMessage: patientActor(),
  carerRevoked: patientActor(),
  carerExpired: patientActor(),
  grantTeam: professionalActor([{ teamId: grantTeam, organisationId: here, role: 'member' }]),
  expiredGrantTeam: professionalActor([
    { teamId: expiredGrantTeam, organisationId: here, role: 'member' },
  ]),
  breakGlass: professionalActor([{ teamId: noTeam, organisationId: here, role: 'member' }]),
  anonymous: { kind: 'anonymous' },
};
const userIdOf = (persona: Persona): string => {
  const actor = actors[persona];
  if (actor.kind === 'anonymous') throw new Error('anonymous has no user');
  return actor.userId;
};
const professionalIdOf = (persona: Persona): string => {
  const actor = actors[persona];
  if (actor.kind !== 'professional') throw new Error(`${persona} is not staff`);
  return actor.professionalId;
};

const facts: ConversationFacts = {
  patientId,
  activeTeamIds: [team],
  activeProfessionalIds: [professionalIdOf('individual')],
  formerTeamIds: [],
  formerProfessionalIds: [professionalIdOf('former')],
  careTeamIds: [careTeam],
  at,
  carerConsents: [
    {
      carerUserId: userIdOf('carerView'),
      level: 'view',
      startsAt: days(-30),
      endsAt: null,
      revokedAt: null,
    },
    {
      carerUserId: userIdOf('carerMessage'),
      level: 'message',
      startsAt: days(-30),
      endsAt: days(30),
      revokedAt: null,
    },
    {
      carerUserId: userIdOf('carerRevoked'),
      level: 'message',
      startsAt: days(-30),
      endsAt: null,
      revokedAt: days(-1),
    },
    {
      carerUserId: userIdOf('carerExpired'),
      level: 'message',
      startsAt: days(-30),
      endsAt: days(-1),
      revokedAt: null,
    },
  ],
  recordGrants: [
    { teamId: grantTeam, startsAt: days(-1), expiresAt: days(6), revokedAt: null },
    { teamId: expiredGrantTeam, startsAt: days(-8), expiresAt: days(-1), revokedAt: null },
  ],
  breakGlass: [
    { professionalId: professionalIdOf('breakGlass'), expiresAt: new Date(at.getTime() + 60_000) },
  ],
  privateFromCarers: false,
};

/** The participating team's work, held by a colleague: so "unassign" tells managers apart. */
const colleague = randomUUID();
const work: TeamWorkFacts = { teamId: team, assigneeProfessionalId: colleague, archived: false };

type Action = ConversationAction | TeamWorkAction;
const ACTIONS: readonly Action[] = [...CONVERSATION_ACTIONS, ...TEAM_WORK_ACTIONS];

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<Action, Record<Persona, boolean>> = {
  //                              patient  P5        other            member     otherTeam           manager     individual     recordAccess     former     coordinator     anonymous
  'conversation.read':           { patient: Y, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: Y, former: Y, coordinator: N, carerView: Y, carerMessage: Y, carerRevoked: N, carerExpired: N, grantTeam: Y, expiredGrantTeam: N, breakGlass: Y, anonymous: N },
  'conversation.reply':          { patient: Y, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: Y, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'conversation.join':           { patient: N, patientP5: N, otherPatient: N, member: N, otherTeamMember: N, manager: N, individual: N, recordAccess: Y, former: Y, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: Y, expiredGrantTeam: N, breakGlass: Y, anonymous: N },
  'conversation.leave':          { patient: N, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'conversation.addParticipant': { patient: N, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'conversation.markRead':       { patient: Y, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: Y, former: Y, coordinator: N, carerView: Y, carerMessage: Y, carerRevoked: N, carerExpired: N, grantTeam: Y, expiredGrantTeam: N, breakGlass: Y, anonymous: N },
  'conversation.setPrivacy':     { patient: Y, patientP5: N, otherPatient: N, member: N, otherTeamMember: N, manager: N, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'conversation.copyInCarer':    { patient: Y, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: Y, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  // Decision 0021: a manager of a team taking part removes a message sent in error.
  'conversation.removeAnyMessage': { patient: N, patientP5: N, otherPatient: N, member: N, otherTeamMember: N, manager: Y, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'work.assignToMe':             { patient: N, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'work.unassign':               { patient: N, patientP5: N, otherPatient: N, member: N, otherTeamMember: N, manager: Y, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  'work.archive':                { patient: N, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
  // Judged on archived work: there is nothing to reopen otherwise (decision 0024).
  'work.reopen':                 { patient: N, patientP5: N, otherPatient: N, member: Y, otherTeamMember: N, manager: Y, individual: N, recordAccess: N, former: N, coordinator: N, carerView: N, carerMessage: N, carerRevoked: N, carerExpired: N, grantTeam: N, expiredGrantTeam: N, breakGlass: N, anonymous: N },
};

const isWork = (action: Action): action is TeamWorkAction =>
  (TEAM_WORK_ACTIONS as readonly string[]).includes(action);

const cells = ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('conversation policy: persona × action (DESIGN §4, M1, M2, M3, W1, W2, W4, C1, C2, C3, C5)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    for (const action of ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    const actor = actors[persona];
    const workFacts =
      action === 'work.reopen' ? { ...work, assigneeProfessionalId: null, archived: true } : work;
    const allowed = isWork(action) ? canWork(actor, action, workFacts) : can(actor, action, facts);
    expect(allowed).toBe(expected);
  });
});

describe('team work policy: the states of the work (W1, W4)', () => {
  const member = actors.member;
  const me = professionalIdOf('member');

  it('W1: the assignee may unassign themselves; a plain member may not unassign a colleague', () => {
    expect(canWork(member, 'work.unassign', { ...work, assigneeProfessionalId: me })).toBe(true);
    expect(canWork(member, 'work.unassign', work)).toBe(false);
    expect(canWork(actors.manager, 'work.unassign', work)).toBe(true);
  });

  it('W1: nothing to unassign when nobody holds it; claiming what one holds is no new claim', () => {
    const free = { ...work, assigneeProfessionalId: null };
    expect(canWork(actors.manager, 'work.unassign', free)).toBe(false);
    expect(canWork(member, 'work.assignToMe', free)).toBe(true);
    expect(canWork(member, 'work.assignToMe', { ...work, assigneeProfessionalId: me })).toBe(false);
  });

  it('W4: archived work is neither claimed nor archived again', () => {
    const archived = { ...work, assigneeProfessionalId: null, archived: true };
    expect(canWork(member, 'work.assignToMe', archived)).toBe(false);
    expect(canWork(member, 'work.archive', archived)).toBe(false);
  });

  it('decision 0024: only archived work is reopened', () => {
    expect(canWork(member, 'work.reopen', { ...work, archived: true })).toBe(true);
    expect(canWork(member, 'work.reopen', work)).toBe(false);
  });

  it('W1: work of another team is not mine, even in the same conversation', () => {
    expect(canWork(member, 'work.assignToMe', { ...work, teamId: otherTeam })).toBe(false);
    expect(canWork(actors.otherTeamMember, 'work.assignToMe', work)).toBe(false);
  });
});

describe('conversation policy: relations (M3, C3)', () => {
  it('C3: a participant who also has record access is a participant, not read-only', () => {
    const both = professionalActor([
      { teamId: team, organisationId: here, role: 'member' },
      { teamId: careTeam, organisationId: here, role: 'member' },
    ]);
    expect(can(both, 'conversation.reply', facts)).toBe(true);
    expect(can(both, 'conversation.join', facts)).toBe(false);
  });

  it('M3: a team that left leaves its members as former participants, who may rejoin', () => {
    const left: ConversationFacts = { ...facts, activeTeamIds: [], formerTeamIds: [team] };
    expect(can(actors.member, 'conversation.read', left)).toBe(true);
    expect(can(actors.member, 'conversation.reply', left)).toBe(false);
    expect(can(actors.member, 'conversation.join', left)).toBe(true);
  });

  it('M1: a patient is never a participant of another patient’s conversation', () => {
    for (const action of CONVERSATION_ACTIONS) {
      expect(can(actors.otherPatient, action, facts)).toBe(false);
    }
  });
});

describe('conversation policy: carers, grants and break-glass over time (C1, C2)', () => {
  it('C1: a conversation private from carers is invisible to every carer, and copying in is refused', () => {
    const secret = { ...facts, privateFromCarers: true };
    for (const persona of ['carerView', 'carerMessage'] as const) {
      for (const action of CONVERSATION_ACTIONS)
        expect(can(actors[persona], action, secret)).toBe(false);
    }
    expect(can(actors.patient, 'conversation.read', secret)).toBe(true);
    expect(can(actors.patient, 'conversation.copyInCarer', secret)).toBe(false);
  });

  it('C1: a consent ends at its end date and a revocation counts from its moment, judged by the facts’ time', () => {
    const later = { ...facts, at: days(31) }; // carerMessage's consent ended on day 30
    expect(can(actors.carerMessage, 'conversation.read', facts)).toBe(true);
    expect(can(actors.carerMessage, 'conversation.read', later)).toBe(false);
    expect(can(actors.carerView, 'conversation.read', later)).toBe(true);
  });

  it('C2: a grant ends by itself; without the time no grant, consent or break-glass counts', () => {
    expect(can(actors.grantTeam, 'conversation.read', { ...facts, at: days(7) })).toBe(false);
    const timeless = { ...facts, at: undefined };
    for (const persona of ['grantTeam', 'breakGlass', 'carerView'] as const) {
      expect(can(actors[persona], 'conversation.read', timeless)).toBe(false);
    }
  });

  it('C5: a carer not verified to P9 reads nothing, consent or not', () => {
    const unverified = { ...actors.carerView, identityLevel: 'P5' as const };
    expect(can(unverified, 'conversation.read', facts)).toBe(false);
  });
});
