import { describe, expect, test } from 'vitest';
import type { ConversationDetail } from '../../api/types';
import { readOnlyWords } from './ReadOnlyBanner';

/** Only what the banner reads: why they may read, their teams that left, whether they may join. */
const reading = (
  readingAs: ConversationDetail['readingAs'],
  myFormerTeams: { teamId: string; teamName: string }[] = [],
  join = true,
) => ({ readingAs, myFormerTeams, actions: { join } }) as unknown as ConversationDetail;

describe('what the read-only banner tells staff (C3, M3)', () => {
  test('a former participant is told their team is no longer in it, not that it has record access', () => {
    const words = readOnlyWords(
      reading('former_participant', [{ teamId: 't1', teamName: 'Cardiology Nurses' }]),
      false,
    );
    expect(words.heading).toBe('Your team is no longer in this conversation');
    expect(words.body).toContain('Cardiology Nurses has left it or been taken out of it');
    expect(words.body).toContain('You can still read the messages up to then');
    expect(words.body).not.toContain('access to this patient');
  });

  test('two former teams, or someone who left themselves', () => {
    const two = readOnlyWords(
      reading('former_participant', [
        { teamId: 't1', teamName: 'Cardiology Nurses' },
        { teamId: 't2', teamName: 'PALS' },
      ]),
      false,
    );
    expect(two.heading).toBe('Your teams are no longer in this conversation');
    expect(two.body).toContain('Cardiology Nurses and PALS have left it');
    const self = readOnlyWords(reading('former_participant', [], true), false);
    expect(self.heading).toBe('You are no longer in this conversation');
    expect(self.body).toContain('You left it');
    expect(self.body).toContain('you can join it again');
  });

  test('a team with record access is offered Join; emergency access says so', () => {
    expect(readOnlyWords(reading('record_access'), false).body).toBe(
      'Your team has access to this patient’s record. Join the conversation to reply or bring in others.',
    );
    expect(readOnlyWords(reading('break_glass'), false).body).toContain('emergency access');
  });

  test('an answer from before the server said why claims nothing about the record', () => {
    expect(readOnlyWords(reading(undefined, [], false), false).body).toBe(
      'You can read this conversation but not reply to it.',
    );
  });

  test('a carer reads without replying', () => {
    expect(readOnlyWords(reading(null), true).body).toBe(
      'As their carer you may read this conversation, but not reply to it.',
    );
  });
});
