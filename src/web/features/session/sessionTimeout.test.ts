import { describe, expect, it } from 'vitest';
import {
  sessionDeadline,
  SIGNED_OUT,
  SIGNED_OUT_IDLE,
  SIGNED_OUT_LONGEST,
  signedOutReason,
  timeLeftWords,
} from './sessionTimeout';

describe('the session’s end, by the page’s own clock', () => {
  it('counts from the server’s time, so the two clocks need not agree', () => {
    const expiry = {
      now: '2026-11-26T10:00:00.000Z',
      idleExpiresAt: '2026-11-26T10:01:30.000Z',
      expiresAt: '2026-11-26T20:00:00.000Z',
    };
    // The page's clock is an hour and a bit off; 90 seconds are left whatever it says.
    expect(sessionDeadline(expiry, 5_000)).toEqual({ endsAt: 95_000, canExtend: true });
  });

  it('ends at the absolute lifetime when that comes first, and then cannot be put off', () => {
    const expiry = {
      now: '2026-11-26T10:00:00.000Z',
      idleExpiresAt: '2026-11-26T10:30:00.000Z',
      expiresAt: '2026-11-26T10:01:00.000Z',
    };
    expect(sessionDeadline(expiry, 0)).toEqual({ endsAt: 60_000, canExtend: false });
  });
});

describe('time left in words', () => {
  it('says minutes and seconds as people say them', () => {
    expect(timeLeftWords(120_000)).toBe('2 minutes');
    expect(timeLeftWords(65_000)).toBe('1 minute 5 seconds');
    expect(timeLeftWords(61_000)).toBe('1 minute 1 second');
    expect(timeLeftWords(44_200)).toBe('45 seconds');
    expect(timeLeftWords(-3)).toBe('0 seconds');
  });
});

describe('why the session ended', () => {
  const idle = { endsAt: 100_000, canExtend: true };
  const longest = { endsAt: 100_000, canExtend: false };

  it('at the deadline the page knew: idle, or the 12-hour end', () => {
    expect(signedOutReason(idle, 100_500)).toBe(SIGNED_OUT_IDLE);
    expect(signedOutReason(longest, 99_000)).toBe(SIGNED_OUT_LONGEST);
  });

  it('long before it (signed out elsewhere, say), or with none known: no reason is made up', () => {
    expect(signedOutReason(idle, 50_000)).toBe(SIGNED_OUT);
    expect(signedOutReason(null, 50_000)).toBe(SIGNED_OUT);
  });
});
