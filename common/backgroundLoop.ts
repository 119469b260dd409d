/**
 * A loop that runs in a worker process beside Temporal's own polling (the
 * webhook dispatcher, the stuck-process watch): each round is `round`, its
 * pauses end early when the loop is stopped, and `stop()` returns once the
 * round under way has finished and `finish` has run.
 */
export interface BackgroundLoop {
  stop(): Promise<void>;
}

export interface LoopRound {
  /** Waits `ms`, or less when the loop is stopped meanwhile. */
  pause(ms: number): Promise<void>;
}

export function startBackgroundLoop(round: (loop: LoopRound) => Promise<void>, finish: () => Promise<void>): BackgroundLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop: LoopRound = {
    pause: (ms) =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
  };
  const running = (async () => {
    while (!stopped) await round(loop);
    await finish();
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
