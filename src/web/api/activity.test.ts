import { describe, expect, it } from 'vitest';
import { BACKGROUND_AFTER_MS, isBackground } from './activity';

describe('a request the person did not ask for just then', () => {
  it('is background a minute after they last typed or clicked, not before', () => {
    expect(isBackground(10_000 + BACKGROUND_AFTER_MS, 10_000)).toBe(false);
    expect(isBackground(10_001 + BACKGROUND_AFTER_MS, 10_000)).toBe(true);
  });
});
