import { describe, expect, it, test } from 'vitest';
import { PERSONAS, type PersonaName, policyWorld } from '../../../../test/personas';
import { can, PATIENT_ACTIONS, type PatientAction, type PatientFacts } from './patients.policy';

const world = policyWorld();

/**
 * The record: the registered persona's, registered with organisation "here", with a care
 * relationship to the manager's and member's team. Create and manage act in "here".
 */
const record: PatientFacts = {
  patientId: world.patientRegisteredId,
  organisationId: world.here,
  registeredOrganisationIds: [world.here],
  careTeamIds: [world.team],
};

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<PatientAction, Record<PersonaName, boolean>> = {
  'patient.create':          { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'patient.read':            { coordinatorHere: Y, coordinatorElsewhere: N, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: N, anonymous: N },
  'careRelationship.manage': { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
};

const cells = PATIENT_ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('patients policy: persona × action (DESIGN C2, C4)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PATIENT_ACTIONS].sort());
    for (const action of PATIENT_ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(PATIENT_ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(can(world.actors[persona], action, record)).toBe(expected);
  });
});

describe('patients policy: the facts that decide', () => {
  it('C2: staff read a record only through a care relationship of one of their teams', () => {
    const noCareTeam = { ...record, careTeamIds: [] };
    expect(can(world.actors.member, 'patient.read', noCareTeam)).toBe(false);
    expect(can(world.actors.manager, 'patient.read', noCareTeam)).toBe(false);
    expect(
      can(world.actors.member, 'patient.read', { ...record, careTeamIds: [world.otherTeam] }),
    ).toBe(false);
  });

  it('a coordinator reads records registered with their organisation, not others', () => {
    const elsewhereRecord = {
      ...record,
      registeredOrganisationIds: [world.elsewhere],
      careTeamIds: [],
    };
    expect(can(world.actors.coordinatorHere, 'patient.read', elsewhereRecord)).toBe(false);
    expect(can(world.actors.coordinatorElsewhere, 'patient.read', elsewhereRecord)).toBe(true);
  });

  it('a patient reads only their own record, whatever the registrations', () => {
    expect(
      can(world.actors.patientRegistered, 'patient.read', {
        ...record,
        patientId: crypto.randomUUID(),
      }),
    ).toBe(false);
    expect(
      can(world.actors.patientRegistered, 'patient.read', { ...record, patientId: undefined }),
    ).toBe(false);
  });

  it('care relationships are managed only for a patient registered with the organisation', () => {
    const notRegistered = { ...record, registeredOrganisationIds: [world.elsewhere] };
    expect(can(world.actors.coordinatorHere, 'careRelationship.manage', notRegistered)).toBe(false);
    expect(
      can(world.actors.coordinatorHere, 'careRelationship.manage', {
        ...record,
        organisationId: undefined,
      }),
    ).toBe(false);
  });

  it('patients are created only in an organisation the coordinator coordinates', () => {
    expect(
      can(world.actors.coordinatorHere, 'patient.create', {
        ...record,
        organisationId: world.elsewhere,
      }),
    ).toBe(false);
    expect(
      can(world.actors.coordinatorHere, 'patient.create', { ...record, organisationId: undefined }),
    ).toBe(false);
  });
});
