import { describe, expect, test } from 'vitest';
import { carersPanelWords, consentEndWords, privacyChangedWords } from './carerWords';

describe('what the patient is told about their carers and a conversation (C1)', () => {
  test('with no carers in force, it says so, and what happens if they add one', () => {
    expect(carersPanelWords(false, [])).toBe(
      'You have no carers. If you add one, they will see this conversation unless you make it private.',
    );
    expect(carersPanelWords(true, [])).toBe(
      'You have no carers. This conversation is private: if you add a carer, they will not see it.',
    );
  });

  test('with carers in force, it names who can see the conversation', () => {
    expect(carersPanelWords(false, ['Aisha Khan'])).toBe(
      'Your carer, Aisha Khan, can see this conversation.',
    );
    expect(carersPanelWords(false, ['Aisha Khan', 'David Jones'])).toBe(
      'Your carers can see this conversation: Aisha Khan and David Jones.',
    );
    expect(carersPanelWords(true, ['Aisha Khan'])).toBe(
      'This conversation is private: your carers cannot see it.',
    );
  });

  test('while the carers are not known, it says nothing untrue', () => {
    expect(carersPanelWords(false, null)).toBe(
      'Any carers you have can see this conversation unless you make it private.',
    );
    expect(carersPanelWords(true, null)).toBe(
      'This conversation is private: your carers cannot see it.',
    );
  });

  test('the success message after changing privacy fits whether there are carers', () => {
    expect(privacyChangedWords(true, ['Aisha Khan'])).toBe(
      'This conversation is now private from your carers',
    );
    expect(privacyChangedWords(true, [])).toBe('This conversation is now private from carers');
    expect(privacyChangedWords(false, ['Aisha Khan'])).toBe(
      'Your carers can see this conversation again',
    );
    expect(privacyChangedWords(false, [])).toBe(
      'This conversation is no longer private. If you add a carer, they will see it',
    );
    expect(privacyChangedWords(false, null)).toBe(
      'This conversation is no longer private from carers',
    );
  });
});

describe('the last day of a carer’s access, as the patient chose it (C1)', () => {
  test('in summer time the end is 23:00 UTC, still the day chosen', () => {
    expect(consentEndWords('2027-06-30T23:00:00.000Z')).toBe('The end of 30 June 2027');
  });
  test('in winter the end is midnight UTC, the day before it', () => {
    expect(consentEndWords('2027-02-01T00:00:00.000Z')).toBe('The end of 31 January 2027');
  });
});
