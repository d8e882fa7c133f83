import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { buildApp } from '../../app';
import { movableClock } from './test-clock';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('the browser tests’ movable clock (CARETHREAD_TEST_CLOCK)', () => {
  it('does not exist unless asked for', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/__test/clock',
      payload: { advanceMs: 1000 },
    });
    expect(response.statusCode).toBe(404);
  });

  it('moves the server’s clock forward, refuses anything else, resets, and stays out of the API document', async () => {
    const { clock, control } = movableClock();
    const app = await buildApp({ ...t.deps, clock, testClock: control });
    try {
      const before = clock().getTime();
      const moved = await app.inject({
        method: 'POST',
        url: '/__test/clock',
        payload: { advanceMs: 7 * 24 * 60 * 60 * 1000 },
      });
      expect(moved.statusCode).toBe(200);
      expect(clock().getTime() - before).toBeGreaterThanOrEqual(7 * 24 * 60 * 60 * 1000);
      for (const payload of [{ advanceMs: -1 }, { advanceMs: 'soon' }, {}]) {
        const refused = await app.inject({ method: 'POST', url: '/__test/clock', payload });
        expect(refused.statusCode).toBe(400);
      }
      expect((await app.inject({ method: 'DELETE', url: '/__test/clock' })).statusCode).toBe(200);
      expect(Math.abs(clock().getTime() - Date.now())).toBeLessThan(60_000);
      const document = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(document.body).not.toContain('__test');
    } finally {
      await app.close();
    }
  });
});
