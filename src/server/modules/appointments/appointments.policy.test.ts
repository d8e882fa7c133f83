import { randomUUID } from 'node:crypto';
import { describe, expect, it, test } from 'vitest';
import {
  PERSONAS as SETTINGS_PERSONAS,
  patientActor,
  type PersonaName,
  policyWorld,
  professionalActor,
} from '../../../../test/personas';
import type { Actor } from '../identity/actor';
import {
  actingTeamId,
  APPOINTMENT_ACTIONS,
  APPOINTMENT_SETTINGS_ACTIONS,
  type AppointmentAction,
  type AppointmentFacts,
  type AppointmentResource,
  type AppointmentSettingsAction,
  can,
  canConfigure,
} from './appointments.policy';

const PERSONAS = [
  'patient',
  'patientP5',
  'otherPatient',
  'carerView',
  'carerMessage',
  'carerRevoked',
  'teamMember',
  'appointmentsTeamMember',
  'recordAccess',
  'breakGlass',
  'unrelatedTeamMember',
  'otherOrganisation',
  'coordinator',
  'anonymous',
] as const;
type Persona = (typeof PERSONAS)[number];

const here = randomUUID();
const elsewhere = randomUUID();
const clinic = randomUUID(); // the appointment's clinical team
const central = randomUUID(); // the organisation's nominated appointments team
const records = randomUUID(); // a care relationship with the patient: record access
const unrelated = randomUUID(); // same organisation, nothing to do with the patient
const admin = randomUUID();
const otherTeam = randomUUID();
const patientId = randomUUID();

const actors: Record<Persona, Actor> = {
  patient: patientActor(patientId, 'P9'),
  patientP5: patientActor(patientId, 'P5'),
  otherPatient: patientActor(),
  carerView: patientActor(),
  carerMessage: patientActor(),
  carerRevoked: patientActor(), // a consent once given, no longer in force: absent from the facts
  teamMember: professionalActor([{ teamId: clinic, organisationId: here, role: 'member' }]),
  appointmentsTeamMember: professionalActor([
    { teamId: central, organisationId: here, role: 'member' },
  ]),
  recordAccess: professionalActor([{ teamId: records, organisationId: here, role: 'member' }]),
  breakGlass: professionalActor([{ teamId: unrelated, organisationId: here, role: 'member' }]),
  unrelatedTeamMember: professionalActor([
    { teamId: unrelated, organisationId: here, role: 'manager' },
  ]),
  otherOrganisation: professionalActor([
    { teamId: otherTeam, organisationId: elsewhere, role: 'member' },
  ]),
  coordinator: professionalActor([{ teamId: admin, organisationId: here, role: 'coordinator' }]),
  anonymous: { kind: 'anonymous' },
};
const userIdOf = (persona: Persona) => {
  const actor = actors[persona];
  if (actor.kind === 'anonymous') throw new Error('anonymous has no user');
  return actor.userId;
};
const breakGlassActor = actors.breakGlass;
if (breakGlassActor.kind !== 'professional') throw new Error('break-glass persona is staff');

const resource: AppointmentResource = { patientId, organisationId: here, teamId: clinic };
const facts: AppointmentFacts = {
  appointmentsTeamId: central,
  recordAccessTeamIds: [records],
  breakGlassProfessionalIds: [breakGlassActor.professionalId],
  carers: [
    { userId: userIdOf('carerView'), level: 'view' },
    { userId: userIdOf('carerMessage'), level: 'message' },
  ],
};

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<AppointmentAction, Record<Persona, boolean>> = {
  'appointment.read':          { patient: Y, patientP5: N, otherPatient: N, carerView: Y, carerMessage: Y, carerRevoked: N, teamMember: Y, appointmentsTeamMember: Y, recordAccess: Y, breakGlass: Y, unrelatedTeamMember: N, otherOrganisation: N, coordinator: N, anonymous: N },
  'appointment.create':        { patient: N, patientP5: N, otherPatient: N, carerView: N, carerMessage: N, carerRevoked: N, teamMember: Y, appointmentsTeamMember: Y, recordAccess: N, breakGlass: N, unrelatedTeamMember: N, otherOrganisation: N, coordinator: N, anonymous: N },
  'appointment.update':        { patient: N, patientP5: N, otherPatient: N, carerView: N, carerMessage: N, carerRevoked: N, teamMember: Y, appointmentsTeamMember: Y, recordAccess: N, breakGlass: N, unrelatedTeamMember: N, otherOrganisation: N, coordinator: N, anonymous: N },
  'appointment.requestChange': { patient: Y, patientP5: N, otherPatient: N, carerView: N, carerMessage: Y, carerRevoked: N, teamMember: N, appointmentsTeamMember: N, recordAccess: N, breakGlass: N, unrelatedTeamMember: N, otherOrganisation: N, coordinator: N, anonymous: N },
};

const cells = APPOINTMENT_ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('appointment policy: persona × action (DESIGN §4, C1, C2, C3, C5)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...APPOINTMENT_ACTIONS].sort());
    for (const action of APPOINTMENT_ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(APPOINTMENT_ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(can(actors[persona], action, resource, facts)).toBe(expected);
  });
});

describe('appointment policy: the nominated team and the acting team', () => {
  it('an organisation without a nominated team: only the clinical team books', () => {
    const none = { ...facts, appointmentsTeamId: null };
    expect(can(actors.appointmentsTeamMember, 'appointment.create', resource, none)).toBe(false);
    expect(can(actors.appointmentsTeamMember, 'appointment.read', resource, none)).toBe(false);
    expect(can(actors.teamMember, 'appointment.create', resource, none)).toBe(true);
  });

  it('the nominated team of another organisation books nothing here', () => {
    const theirs = { ...resource, organisationId: elsewhere, teamId: otherTeam };
    expect(
      can(actors.appointmentsTeamMember, 'appointment.create', theirs, {
        ...facts,
        appointmentsTeamId: null,
      }),
    ).toBe(false);
  });

  it('staff in both teams act for the appointments team (it books on behalf of the clinic)', () => {
    const both = professionalActor([
      { teamId: clinic, organisationId: here, role: 'member' },
      { teamId: central, organisationId: here, role: 'member' },
    ]);
    expect(actingTeamId(both, resource, facts)).toBe(central);
    expect(actingTeamId(actors.teamMember, resource, facts)).toBe(clinic);
    expect(actingTeamId(actors.recordAccess, resource, facts)).toBeNull();
    expect(actingTeamId(actors.patient, resource, facts)).toBeNull();
  });

  it('C5: a carer not verified to P9 sees nothing, consent or not', () => {
    const carer = actors.carerMessage;
    if (carer.kind !== 'patient') throw new Error('carer is a patient user');
    const unverified = { ...carer, identityLevel: 'P5' as const };
    for (const action of APPOINTMENT_ACTIONS) {
      expect(can(unverified, action, resource, facts)).toBe(false);
    }
  });
});

// prettier-ignore
const SETTINGS_EXPECTED: Record<AppointmentSettingsAction, Record<PersonaName, boolean>> = {
  'appointmentSettings.read':   { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'appointmentSettings.update': { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
};

describe('appointment settings policy: persona × action (DESIGN §1, a coordinator configures the organisation)', () => {
  const world = policyWorld();
  const settingsCells = APPOINTMENT_SETTINGS_ACTIONS.flatMap((action) =>
    SETTINGS_PERSONAS.map((persona) => ({
      action,
      persona,
      expected: SETTINGS_EXPECTED[action][persona],
    })),
  );

  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(SETTINGS_EXPECTED).sort()).toEqual([...APPOINTMENT_SETTINGS_ACTIONS].sort());
    for (const action of APPOINTMENT_SETTINGS_ACTIONS) {
      expect(Object.keys(SETTINGS_EXPECTED[action]).sort()).toEqual([...SETTINGS_PERSONAS].sort());
    }
  });

  test.each(settingsCells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(canConfigure(world.actors[persona], action, { organisationId: world.here })).toBe(
      expected,
    );
  });
});
