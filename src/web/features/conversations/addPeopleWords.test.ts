import { describe, expect, test } from 'vitest';
import { addConfirmationWords, describeTarget, type AddTarget } from './addPeopleWords';

const team: AddTarget = {
  kind: 'team',
  id: 't1',
  name: 'Cardiology Consultants',
  organisationName: 'Demo Trust',
};
const consultant: AddTarget = {
  kind: 'professional',
  id: 'p1',
  name: 'Dr Anna Novak',
  jobTitle: 'Consultant cardiologist',
  organisationName: 'Demo Trust',
};

describe('who is being added', () => {
  test('a team by its organisation, a person by their job title too', () => {
    expect(describeTarget(team)).toBe('Cardiology Consultants (Demo Trust)');
    expect(describeTarget(consultant)).toBe('Dr Anna Novak (Consultant cardiologist, Demo Trust)');
  });

  test('a person without a job title by their organisation alone', () => {
    expect(describeTarget({ ...consultant, jobTitle: undefined })).toBe(
      'Dr Anna Novak (Demo Trust)',
    );
    expect(describeTarget({ ...consultant, jobTitle: '' })).toBe('Dr Anna Novak (Demo Trust)');
  });
});

describe('the confirmation before adding someone', () => {
  test('a team: every member, the whole history, and people who join the team later', () => {
    expect(addConfirmationWords(team, 3)).toEqual({
      heading: 'Add Cardiology Consultants to this conversation?',
      consequence:
        'Everyone in Cardiology Consultants (Demo Trust) will see all 3 messages in this conversation, including earlier ones, and can reply. So will anyone who joins the team later.',
      cannotUndo:
        "You cannot undo this. Only the team's members can take it out of the conversation, and they keep what they have seen.",
      confirm: 'Yes, add Cardiology Consultants',
    });
  });

  test('a person: that person alone', () => {
    const words = addConfirmationWords(consultant, 12);
    expect(words.heading).toBe('Add Dr Anna Novak to this conversation?');
    expect(words.consequence).toBe(
      'Dr Anna Novak (Consultant cardiologist, Demo Trust) will see all 12 messages in this conversation, including earlier ones, and can reply.',
    );
    expect(words.cannotUndo).toBe(
      'You cannot undo this. Only they can leave the conversation, and they keep what they have seen.',
    );
    expect(words.confirm).toBe('Yes, add Dr Anna Novak');
  });

  test('one message is "the message", not "all 1 messages"', () => {
    expect(addConfirmationWords(consultant, 1).consequence).toBe(
      'Dr Anna Novak (Consultant cardiologist, Demo Trust) will see the message already in this conversation and every new one, and can reply.',
    );
  });

  test('large counts are written the British way', () => {
    expect(addConfirmationWords(team, 1200).consequence).toContain('all 1,200 messages');
  });

  test('with no messages counted it still says they see every message', () => {
    expect(addConfirmationWords(team, 0).consequence).toContain(
      'will see every message in this conversation, and can reply.',
    );
  });
});
