import { describe, expect, it, test } from 'vitest';
import { PERSONAS, type PersonaName, policyWorld } from '../../../../test/personas';
import { can, IDENTITY_ACTIONS, type IdentityAction } from './identity.policy';

const world = policyWorld();

const Y = true;
const N = false;
// The resource: organisation "here"'s sign-in policy, or the actor's own account.
// prettier-ignore
const EXPECTED: Record<IdentityAction, Record<PersonaName, boolean>> = {
  //                      coordHere            coordElsewhere           manager     member     patientReg              patientNotReg              anon
  'signInPolicy.read':   { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'signInPolicy.update': { coordinatorHere: Y, coordinatorElsewhere: N, manager: N, member: N, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'totp.setUp':          { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'session.endAll':      { coordinatorHere: Y, coordinatorElsewhere: Y, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: Y, anonymous: N },
};

const cells = IDENTITY_ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('identity policy: persona × action (C5)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...IDENTITY_ACTIONS].sort());
    for (const action of IDENTITY_ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(IDENTITY_ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(can(world.actors[persona], action, { organisationId: world.here })).toBe(expected);
  });

  it('refuses a sign-in policy action that names no organisation', () => {
    expect(can(world.actors.coordinatorHere, 'signInPolicy.update')).toBe(false);
  });
});
