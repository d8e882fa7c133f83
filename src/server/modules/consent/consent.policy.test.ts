import { describe, expect, it, test } from 'vitest';
import { PERSONAS, type PersonaName, policyWorld } from '../../../../test/personas';
import {
  canOnInvitation,
  INVITATION_ACTIONS,
  type InvitationAction,
  type InvitationFacts,
} from './consent.policy';

const world = policyWorld();

/**
 * The registered persona's invitation, recorded by staff from a paper form. The manager's and
 * member's team looks after the patient (record access); coordinators have none.
 */
const WITH_RECORD_ACCESS: readonly PersonaName[] = ['manager', 'member'];
const factsFor = (persona: PersonaName, paper = true): InvitationFacts => ({
  patientId: world.patientRegisteredId,
  paper,
  recordAccess: WITH_RECORD_ACCESS.includes(persona),
});

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<InvitationAction, Record<PersonaName, boolean>> = {
  'carerInvitation.recordPaper': { coordinatorHere: N, coordinatorElsewhere: N, manager: Y, member: Y, patientRegistered: N, patientNotRegistered: N, anonymous: N },
  'carerInvitation.cancel':      { coordinatorHere: N, coordinatorElsewhere: N, manager: Y, member: Y, patientRegistered: Y, patientNotRegistered: N, anonymous: N },
  'carerConsent.list':           { coordinatorHere: N, coordinatorElsewhere: N, manager: Y, member: Y, patientRegistered: N, patientNotRegistered: N, anonymous: N },
};

const cells = INVITATION_ACTIONS.flatMap((action) =>
  PERSONAS.map((persona) => ({ action, persona, expected: EXPECTED[action][persona] })),
);

describe('carer invitations policy: persona × action (DESIGN C1, C2)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...INVITATION_ACTIONS].sort());
    for (const action of INVITATION_ACTIONS) {
      expect(Object.keys(EXPECTED[action]).sort()).toEqual([...PERSONAS].sort());
    }
    expect(cells).toHaveLength(INVITATION_ACTIONS.length * PERSONAS.length);
  });

  test.each(cells)('$persona may $action: $expected', ({ action, persona, expected }) => {
    expect(canOnInvitation(world.actors[persona], action, factsFor(persona))).toBe(expected);
  });
});

describe('carer invitations policy: the facts that decide', () => {
  it('C1: staff cancel only invitations recorded from a paper form; the patient cancels any of hers', () => {
    expect(
      canOnInvitation(world.actors.member, 'carerInvitation.cancel', factsFor('member', false)),
    ).toBe(false);
    expect(
      canOnInvitation(
        world.actors.patientRegistered,
        'carerInvitation.cancel',
        factsFor('patientRegistered', false),
      ),
    ).toBe(true);
  });

  it('C2: staff without record access to the patient may not record, list or cancel invitations, nor list carers', () => {
    for (const action of INVITATION_ACTIONS) {
      expect(
        canOnInvitation(world.actors.member, action, {
          ...factsFor('member'),
          recordAccess: false,
        }),
      ).toBe(false);
    }
  });
});
