/**
 * How often the sync knocks while the server cannot be reached (issue 16 §8). Without it each
 * of the thirteen replications retries on its own every few seconds — several failing
 * requests a second while offline. With it, after a request finds no server, the next waits
 * 1 s, then 2, 4, … up to `maxMs` (60 s); one request at a time goes out as the probe while
 * the others wait for its answer; and the browser's `online` event (or "Sync now") opens the
 * gate at once. Any answer from the server closes the episode.
 */
export interface BackoffGate {
  /**
   * Waits until a request may go out; returns the function to call with its outcome
   * (`reached`: the server answered at all).
   */
  admit(): Promise<(reached: boolean) => void>;
  /** Let requests go now (network back, or the person asked to sync). */
  wake(): void;
  /** Failed attempts in the current episode (0: the server was reached last). */
  readonly failures: number;
}

export interface BackoffOptions {
  minMs?: number;
  maxMs?: number;
  /** For tests: the clock and the timer. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** The delay after the n-th failure in a row (n ≥ 1): minMs · 2^(n−1), at most maxMs. */
export const backoffDelay = (n: number, minMs = 1000, maxMs = 60_000): number => Math.min(maxMs, minMs * 2 ** Math.max(0, n - 1));

export function createBackoffGate(opts: BackoffOptions = {}): BackoffGate {
  const minMs = opts.minMs ?? 1000;
  const maxMs = opts.maxMs ?? 60_000;
  const now = opts.now ?? (() => Date.now());
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let failures = 0;
  let openAt = 0;
  let probing = false;
  const waiters = new Set<() => void>();

  const release = () => {
    const all = [...waiters];
    waiters.clear();
    for (const w of all) w();
  };
  /** Resolves at `ms` from now, or at the next release, whichever comes first. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimer(t);
        waiters.delete(done);
        resolve();
      };
      const t = setTimer(done, ms);
      waiters.add(done);
    });

  const settle = (probe: boolean) => (reached: boolean) => {
    if (reached) {
      failures = 0;
      openAt = 0;
    } else if (probe || failures === 0) {
      // Requests already out when the network went all fail together: they start one episode,
      // and only the probes lengthen it.
      failures += 1;
      openAt = now() + backoffDelay(failures, minMs, maxMs);
    }
    if (probe) probing = false;
    release();
  };

  return {
    get failures() {
      return failures;
    },
    async admit() {
      for (;;) {
        if (failures === 0) return settle(false);
        const wait = openAt - now();
        if (wait > 0) {
          await pause(wait);
          continue;
        }
        if (probing) {
          await pause(maxMs);
          continue;
        }
        probing = true;
        return settle(true);
      }
    },
    wake() {
      openAt = 0;
      release();
    },
  };
}
