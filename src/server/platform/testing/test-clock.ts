import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

/** Moves a test server's clock: forward by some milliseconds, or back to the real time. */
export interface TestClockControl {
  advance(ms: number): void;
  reset(): void;
}

/** The real time plus an offset browser tests can move forward and reset. */
export function movableClock(): { clock: () => Date; control: TestClockControl } {
  let offsetMs = 0;
  return {
    clock: () => new Date(Date.now() + offsetMs),
    control: {
      advance: (ms) => {
        offsetMs += ms;
      },
      reset: () => {
        offsetMs = 0;
      },
    },
  };
}

const MAX_STEP_MS = 366 * 24 * 60 * 60 * 1000;
const Now = Type.Object({ now: Type.String() });

/**
 * POST /__test/clock { advanceMs } moves the server's clock forward; DELETE /__test/clock
 * puts it back to the real time. Registered only when CARETHREAD_TEST_CLOCK is set (refused
 * in production), hidden from the API document, and needs no session: it exists for the
 * browser journeys' "7 days later".
 */
export function testClockRoutes(
  clock: () => Date,
  control: TestClockControl,
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/__test/clock',
      {
        config: { csrf: false },
        schema: {
          hide: true,
          body: Type.Object(
            { advanceMs: Type.Integer({ minimum: 1, maximum: MAX_STEP_MS }) },
            { additionalProperties: false },
          ),
          response: { 200: Now },
        },
      },
      async (request) => {
        control.advance(request.body.advanceMs);
        return { now: clock().toISOString() };
      },
    );
    app.delete(
      '/__test/clock',
      { config: { csrf: false }, schema: { hide: true, response: { 200: Now } } },
      async () => {
        control.reset();
        return { now: clock().toISOString() };
      },
    );
  };
}
