/** A background worker's loop: passes run one at a time, on a timer and whenever woken. */
export interface Polling {
  /** Runs passes until one finds nothing to do; resolves with how much they handled. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a NOTIFY, say). */
  wake(): void;
  stop(): Promise<void>;
}

export interface PollingOptions {
  /** Handles one batch of due work; resolves with how many items it handled (0: nothing due). */
  pass: () => Promise<number>;
  /** Poll interval when nothing wakes the loop. */
  intervalMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Starts a loop that drains its work now, every `intervalMs`, and whenever woken. A pass
 * already running may have looked for work before the caller's rows committed, so a drain
 * asked for meanwhile runs once more after it instead of sharing its result.
 */
export function startPolling({ pass, intervalMs, onError }: PollingOptions): Polling {
  let stopped = false;
  let running: Promise<number> | null = null;
  let again: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function drainOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      if (stopped) return handled;
      const count = await pass();
      if (count === 0) return handled;
      handled += count;
    }
  }

  function drain(): Promise<number> {
    if (!running) {
      running = drainOnce().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running
      .catch(() => 0)
      .then(() => {
        again = null;
        return drain();
      });
    return again;
  }

  function schedule(delay: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      drain()
        .catch((error: unknown) => onError?.(error))
        .finally(() => schedule(intervalMs));
    }, delay);
  }
  schedule(0);

  return {
    drain,
    wake: () => schedule(0),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A pass that failed has been reported (onError); stopping still completes.
      await running?.catch(() => undefined);
    },
  };
}
