import { describe, expect, test } from 'vitest';
import { hasUnsentText, shouldAskBeforeLeaving } from './unsentText';

describe('whether a message form has something unsent', () => {
  test.each([
    { texts: ['', ''], files: false, unsent: false },
    { texts: ['  ', '\n\t '], files: false, unsent: false },
    { texts: [], files: false, unsent: false },
    { texts: ['Question about my tablets', ''], files: false, unsent: true },
    { texts: ['', ' I feel dizzy '], files: false, unsent: true },
    { texts: ['', ''], files: true, unsent: true },
  ])('$texts with files chosen $files: $unsent', ({ texts, files, unsent }) => {
    expect(hasUnsentText(texts, files)).toBe(unsent);
  });

  test('files are optional', () => {
    expect(hasUnsentText(['x'])).toBe(true);
    expect(hasUnsentText([' '])).toBe(false);
  });
});

describe('whether leaving is asked about first', () => {
  const writing = {
    unsent: true,
    sent: false,
    signedIn: true,
    from: '/messages/new',
    to: '/appointments',
  };

  test('unsent text, signed in, going to another page: ask', () => {
    expect(shouldAskBeforeLeaving(writing)).toBe(true);
  });

  test.each([
    ['nothing written', { unsent: false }],
    ['the message has just been sent', { sent: true }],
    ['the session has ended (sign in must not be held up)', { signedIn: false }],
    ['only the query or a # link changes, on the same page', { to: '/messages/new' }],
  ])('not when %s', (_, change) => {
    expect(shouldAskBeforeLeaving({ ...writing, ...change })).toBe(false);
  });
});
