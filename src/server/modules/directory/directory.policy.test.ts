import { describe, expect, it, test } from 'vitest';
import {
  PERSONAS,
  type PersonaName,
  policyWorld,
  professionalActor,
} from '../../../../test/personas';
import {
  can,
  DIRECTORY_ACTIONS,
  type DirectoryAction,
  type DirectoryFacts,
  type DirectoryResource,
} from './directory.policy';

const world = policyWorld();

/** What each persona knows about itself that the actor does not carry. */
const factsOf: Record<PersonaName, DirectoryFacts> = {
  coordinatorHere: {},
  coordinatorElsewhere: {},
  manager: {},
  member: {},
  patientRegistered: { registeredOrganisationIds: [world.here] },
  patientNotRegistered: { registeredOrganisationIds: [world.elsewhere] },
  anonymous: {},
};

/** The resource: a contactable, active team of organisation "here". */
const team: DirectoryResource = { organisationId: world.here, contactable: true, active: true };

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<DirectoryAction, Record<PersonaName, boolean>> = {
  //                            coordHere         coordElsewhere        manager     member     patientReg              patientNotReg              anon
  'organisation.list':         { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: Y, anonymous: N },
  'team.list':                 { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: N, anonymous: N },
  'team.read':                 { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: N, anonymous: N },
  'team.create':               { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'team.update':               { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'team.manageMembers':        { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'team.setEscalationPathway': { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'professional.list':         { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'professional.create':       { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
};

const cells = DIRECTORY_ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('directory policy: persona × action (DESIGN §4, M2)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...DIRECTORY_ACTIONS].sort());
    for (const action of DIRECTORY_ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(DIRECTORY_ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(can(world.actors[persona], action, team, factsOf[persona])).toBe(expected);
  });
});

describe('directory policy: which teams a patient sees (DESIGN §1 contactable)', () => {
  // prettier-ignore
  const variants: { name: string; resource: DirectoryResource; staff: boolean; patientRegistered: boolean }[] = [
    { name: 'contactable active team here',      resource: { organisationId: world.here, contactable: true, active: true },       staff: Y, patientRegistered: Y },
    { name: 'contactable team, active unknown',  resource: { organisationId: world.here, contactable: true },                     staff: Y, patientRegistered: Y },
    { name: 'not contactable team here',         resource: { organisationId: world.here, contactable: false, active: true },      staff: Y, patientRegistered: N },
    { name: 'inactive contactable team here',    resource: { organisationId: world.here, contactable: true, active: false },      staff: Y, patientRegistered: N },
    { name: 'contactable team elsewhere',        resource: { organisationId: world.elsewhere, contactable: true, active: true },  staff: Y, patientRegistered: N },
    { name: 'team whose contactability is unknown', resource: { organisationId: world.here },                                     staff: Y, patientRegistered: N },
  ];

  test.each(
    variants.flatMap((v) =>
      (['team.read', 'team.list'] as const).map((action) => ({ ...v, action })),
    ),
  )(
    '$action of $name: staff $staff, registered patient $patientRegistered',
    ({ resource, action, staff, patientRegistered }) => {
      for (const persona of [
        'coordinatorHere',
        'coordinatorElsewhere',
        'manager',
        'member',
      ] as const) {
        expect(can(world.actors[persona], action, resource, factsOf[persona])).toBe(staff);
      }
      expect(can(world.actors.patientRegistered, action, resource, factsOf.patientRegistered)).toBe(
        patientRegistered,
      );
      expect(can(world.actors.anonymous, action, resource)).toBe(false);
    },
  );

  it('a patient with no registration facts sees no team', () => {
    expect(can(world.actors.patientRegistered, 'team.read', team)).toBe(false);
  });

  it('a coordinator of two organisations configures both, and nothing else', () => {
    const both = professionalActor([
      { teamId: world.adminTeam, organisationId: world.here, role: 'coordinator' },
      { teamId: world.otherTeam, organisationId: world.elsewhere, role: 'coordinator' },
    ]);
    expect(can(both, 'team.update', { organisationId: world.here })).toBe(true);
    expect(can(both, 'team.update', { organisationId: world.elsewhere })).toBe(true);
    expect(can(both, 'team.update', { organisationId: crypto.randomUUID() })).toBe(false);
  });

  it('a manager who is also a member elsewhere gains no coordinator rights', () => {
    const actor = professionalActor([
      { teamId: world.team, organisationId: world.here, role: 'manager' },
      { teamId: world.otherTeam, organisationId: world.elsewhere, role: 'member' },
    ]);
    expect(can(actor, 'team.create', { organisationId: world.here })).toBe(false);
    expect(can(actor, 'professional.create', { organisationId: world.here })).toBe(false);
  });
});
