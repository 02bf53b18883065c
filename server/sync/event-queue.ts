/** Yielded by an event queue after `keepAliveMs` without an event: the stream says it is alive. */
export const KEEP_ALIVE = { type: 'keep-alive' } as const;
export type KeepAlive = typeof KEEP_ALIVE;

export interface EventQueue<T> extends AsyncIterable<T | KeepAlive> {
  push(event: T): void;
  /** Ends the iteration (after the event being handed out, if any); idempotent. */
  close(): void;
  readonly closed: boolean;
}

/**
 * The events of one live connection, in order, as an async iterable for the route to write
 * out: producers push, the one consumer iterates. When nothing comes for `keepAliveMs` it
 * yields KEEP_ALIVE so the connection (and proxies on the way) stay open.
 */
export function createEventQueue<T>(opts: { keepAliveMs: number; onClose?: () => void }): EventQueue<T> {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    push(event) {
      if (closed) return;
      queue.push(event);
      wake?.();
    },
    close() {
      if (closed) return;
      closed = true;
      opts.onClose?.();
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      while (!closed) {
        while (queue.length && !closed) yield queue.shift()!;
        if (closed) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, opts.keepAliveMs);
          timer.unref?.();
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (!queue.length && !closed) yield KEEP_ALIVE;
      }
    },
  };
}
