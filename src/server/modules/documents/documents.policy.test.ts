import { randomUUID } from 'node:crypto';
import { describe, expect, it, test } from 'vitest';
import { patientActor, policyWorld, professionalActor } from '../../../../test/personas';
import type { Actor } from '../identity/actor';
import type { ConversationFacts } from '../conversations/conversations.policy';
import { can, DOCUMENT_ACTIONS, type DocumentAction, type DocumentFacts } from './documents.policy';

const world = policyWorld();
const at = new Date('2026-11-25T09:00:00Z');
const earlier = new Date('2026-01-01T00:00:00Z');
const participantTeam = randomUUID();

const actors = {
  ...world.actors,
  carerWithMessageConsent: patientActor(),
  carerWithViewConsent: patientActor(),
  carerAfterRevocation: patientActor(),
  patientAtP5: patientActor(world.patientRegisteredId, 'P5'),
  participantWithoutRecordAccess: professionalActor([
    { teamId: participantTeam, organisationId: world.elsewhere, role: 'member' },
  ]),
} satisfies Record<string, Actor>;
type Persona = keyof typeof actors;
const PERSONAS = Object.keys(actors) as Persona[];

/** The registered persona's record: the manager's and member's team cares for them (C2). */
const record: ConversationFacts = {
  patientId: world.patientRegisteredId,
  activeTeamIds: [],
  activeProfessionalIds: [],
  formerTeamIds: [],
  formerProfessionalIds: [],
  careTeamIds: [world.team],
  at,
  carerConsents: [
    {
      carerUserId: actors.carerWithMessageConsent.userId,
      level: 'message',
      startsAt: earlier,
      endsAt: null,
      revokedAt: null,
    },
    {
      carerUserId: actors.carerWithViewConsent.userId,
      level: 'view',
      startsAt: earlier,
      endsAt: null,
      revokedAt: null,
    },
  ],
  privateFromCarers: false,
};
const memberUserId = world.actors.member.kind === 'professional' ? world.actors.member.userId : '';
const standalone: DocumentFacts = { record, uploadedByUserId: memberUserId };
const inConversation: DocumentFacts = {
  record,
  conversation: { ...record, activeTeamIds: [participantTeam] },
  uploadedByUserId: memberUserId,
};
/** A file the member chose for a message not sent yet: theirs alone. */
const draft: DocumentFacts = { ...standalone, draft: true };
/** A file the participant chose for a reply not sent yet: theirs alone, even in the thread. */
const participant = actors.participantWithoutRecordAccess;
const draftInConversation: DocumentFacts = {
  ...inConversation,
  uploadedByUserId: participant.kind === 'professional' ? participant.userId : '',
  draft: true,
};

const Y = true;
const N = false;
type Row = Record<Persona, boolean>;
/** An upload into the record that has not finished, and one its uploader cancelled. */
const unfinished: DocumentFacts = { ...standalone, status: 'uploading' };
const cancelled: DocumentFacts = { ...standalone, status: 'withdrawn' };
const PLACES = [
  'standalone',
  'inConversation',
  'draft',
  'draftInConversation',
  'unfinished',
  'cancelled',
] as const;
// prettier-ignore
const row = (coordinatorHere: boolean, coordinatorElsewhere: boolean, manager: boolean, member: boolean, patientRegistered: boolean, patientNotRegistered: boolean, anonymous: boolean, carerWithMessageConsent: boolean, carerWithViewConsent: boolean, carerAfterRevocation: boolean, patientAtP5: boolean, participantWithoutRecordAccess: boolean): Row =>
  ({ coordinatorHere, coordinatorElsewhere, manager, member, patientRegistered, patientNotRegistered, anonymous, carerWithMessageConsent, carerWithViewConsent, carerAfterRevocation, patientAtP5, participantWithoutRecordAccess });

//                                      coordH coordE mgr mem patR patN anon carerM carerV carerX P5  partic
// prettier-ignore
const EXPECTED: Record<(typeof PLACES)[number], Record<DocumentAction, Row>> = {
  standalone: {
    'document.read':           row(N, N, Y, Y, Y, N, N, Y, Y, N, N, N),
    'document.upload':         row(N, N, Y, Y, Y, N, N, Y, N, N, N, N),
    'document.continueUpload': row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.withdraw':       row(N, N, N, N, N, N, N, N, N, N, N, N),
    'document.markEnteredInError': row(N, N, N, Y, N, N, N, N, N, N, N, N),
  },
  inConversation: {
    'document.read':           row(N, N, Y, Y, Y, N, N, Y, Y, N, N, Y),
    'document.upload':         row(N, N, N, N, Y, N, N, Y, N, N, N, Y),
    'document.continueUpload': row(N, N, N, N, N, N, N, N, N, N, N, N),
    'document.withdraw':       row(N, N, N, N, N, N, N, N, N, N, N, N),
    'document.markEnteredInError': row(N, N, N, Y, N, N, N, N, N, N, N, N),
  },
  draft: {
    'document.read':           row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.upload':         row(N, N, Y, Y, Y, N, N, Y, N, N, N, N),
    'document.continueUpload': row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.withdraw':       row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.markEnteredInError': row(N, N, N, N, N, N, N, N, N, N, N, N),
  },
  draftInConversation: {
    'document.read':           row(N, N, N, N, N, N, N, N, N, N, N, Y),
    'document.upload':         row(N, N, N, N, Y, N, N, Y, N, N, N, Y),
    'document.continueUpload': row(N, N, N, N, N, N, N, N, N, N, N, Y),
    'document.withdraw':       row(N, N, N, N, N, N, N, N, N, N, N, Y),
    'document.markEnteredInError': row(N, N, N, N, N, N, N, N, N, N, N, N),
  },
  unfinished: {
    'document.read':           row(N, N, Y, Y, Y, N, N, Y, Y, N, N, N),
    'document.upload':         row(N, N, Y, Y, Y, N, N, Y, N, N, N, N),
    'document.continueUpload': row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.withdraw':       row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.markEnteredInError': row(N, N, N, N, N, N, N, N, N, N, N, N),
  },
  cancelled: {
    'document.read':           row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.upload':         row(N, N, Y, Y, Y, N, N, Y, N, N, N, N),
    'document.continueUpload': row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.withdraw':       row(N, N, N, Y, N, N, N, N, N, N, N, N),
    'document.markEnteredInError': row(N, N, N, N, N, N, N, N, N, N, N, N),
  },
};
const FACTS = { standalone, inConversation, draft, draftInConversation, unfinished, cancelled };

const cells = PLACES.flatMap((where) =>
  DOCUMENT_ACTIONS.flatMap((action) =>
    PERSONAS.map((persona) => ({
      where,
      action,
      persona,
      expected: EXPECTED[where][action][persona],
    })),
  ),
);

describe('documents policy: persona × action (DESIGN C1, C2, C3, C5; drafts: decision 0019)', () => {
  it('has a cell for every persona × action, and nothing else', () => {
    expect(cells).toHaveLength(PLACES.length * DOCUMENT_ACTIONS.length * PERSONAS.length);
    for (const where of PLACES) {
      expect(Object.keys(EXPECTED[where]).sort()).toEqual([...DOCUMENT_ACTIONS].sort());
    }
  });

  test.each(cells)(
    '$where: $persona may $action: $expected',
    ({ where, action, persona, expected }) => {
      expect(can(actors[persona], action, FACTS[where])).toBe(expected);
    },
  );
});

describe('documents policy: the facts that decide', () => {
  it('C1: a conversation private from carers hides its documents from them, not from others', () => {
    const hidden: DocumentFacts = {
      ...inConversation,
      conversation: { ...inConversation.conversation!, privateFromCarers: true },
    };
    expect(can(actors.carerWithMessageConsent, 'document.read', hidden)).toBe(false);
    expect(can(actors.carerWithViewConsent, 'document.read', hidden)).toBe(false);
    expect(can(actors.patientRegistered, 'document.read', hidden)).toBe(true);
    expect(can(actors.member, 'document.read', hidden)).toBe(true);
  });

  it('C1: a consent that has ended counts for nothing', () => {
    const ended: DocumentFacts = {
      ...standalone,
      record: {
        ...record,
        carerConsents: record.carerConsents!.map((c) => ({ ...c, endsAt: earlier })),
      },
    };
    expect(can(actors.carerWithMessageConsent, 'document.read', ended)).toBe(false);
    expect(can(actors.carerWithMessageConsent, 'document.upload', ended)).toBe(false);
  });

  it('C2: a team’s grant from the patient gives record access while it lasts', () => {
    const granted: DocumentFacts = {
      record: {
        ...record,
        careTeamIds: [],
        recordGrants: [
          {
            teamId: world.team,
            startsAt: earlier,
            expiresAt: new Date('2026-12-01'),
            revokedAt: null,
          },
        ],
      },
    };
    expect(can(actors.member, 'document.upload', granted)).toBe(true);
    const expired = { record: { ...granted.record, at: new Date('2026-12-02') } };
    expect(can(actors.member, 'document.read', expired)).toBe(false);
  });

  it('the uploader stops continuing an upload once they may no longer upload there', () => {
    const noCare: DocumentFacts = { ...standalone, record: { ...record, careTeamIds: [] } };
    expect(can(actors.member, 'document.continueUpload', noCare)).toBe(false);
    expect(can(actors.member, 'document.withdraw', { ...noCare, draft: true })).toBe(false);
    expect(can(actors.member, 'document.markEnteredInError', noCare)).toBe(false);
    expect(can(actors.member, 'document.read', { ...noCare, draft: true })).toBe(false);
  });
});
