import { describe, expect, test } from 'vitest';
import { addedInErrorHint, sentInErrorHint } from './correctionWords';

describe('the hints for why something was sent or added in error', () => {
  test('staff keep theirs: another patient, not named', () => {
    expect(sentInErrorHint({ kind: 'professional' })).toBe(
      "For example, it was meant for another patient. Do not name the other person. Only the people who look into the record's history see this.",
    );
    expect(addedInErrorHint({ kind: 'professional' })).toContain('another patient');
  });

  test('patients and carers get their own, with no talk of other patients', () => {
    expect(sentInErrorHint({ kind: 'patient' })).toBe(
      'For example, you sent it to the wrong team or wrote the wrong thing. Do not include medical details here.',
    );
    expect(addedInErrorHint({ kind: 'patient' })).toBe(
      'For example, you chose the wrong file. Do not include medical details here.',
    );
    for (const hint of [sentInErrorHint, addedInErrorHint]) {
      expect(hint({ kind: 'patient' })).not.toMatch(/patient|name the other/);
    }
  });
});
