/**
 * Server-Sent Events read over fetch rather than EventSource: it can send our headers
 * (schema version; a Cookie in Node tests), runs the same in Node and browsers, and lets
 * us choose the reconnect policy.
 */

export interface EventStreamOptions {
  url: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Called when a connection is established (before its first event). */
  onOpen(): void;
  /** Called with the `data` of each event. */
  onData(data: string, event: string): void;
  /** A failed attempt or a dropped connection; `status` when the server answered. */
  onError(err: unknown, status?: number): void;
  /** Stop reconnecting after this answer (426: the app must reload first). */
  isFatal?(status: number): boolean;
  minDelay?: number;
  maxDelay?: number;
  /** No bytes for this long (the server sends keep-alives every 20 s): the connection is dead. */
  silenceTimeout?: number;
}

export interface EventStream {
  close(): void;
  /** Reconnects at once (the browser came back online). */
  reconnectNow(): void;
}

/**
 * Splits a text/event-stream into events and returns each event's data (multi-line data
 * joined by \n) and its name ('message' when unnamed).
 */
export function createSseParser(onData: (data: string, event: string) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer += chunk;
    for (;;) {
      const m = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
      if (!m) break;
      const block = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      const data: string[] = [];
      let event = 'message';
      for (const line of block.split(/\r\n|\n|\r/)) {
        const value = (field: string) => line.slice(field.length + (line[field.length] === ' ' ? 1 : 0));
        if (line.startsWith('data:')) data.push(value('data:'));
        else if (line.startsWith('event:')) event = value('event:');
      }
      if (data.length) onData(data.join('\n'), event);
    }
  };
}

export function openEventStream(opts: EventStreamOptions): EventStream {
  const minDelay = opts.minDelay ?? 1000;
  const maxDelay = opts.maxDelay ?? 30_000;
  const silenceTimeout = opts.silenceTimeout ?? 60_000;
  let closed = false;
  let delay = minDelay;
  let current: AbortController | null = null;
  let wakeSleep: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wakeSleep = null;
        resolve();
      }
      wakeSleep = done;
    });

  async function connectOnce(): Promise<'again' | 'stop'> {
    const ctrl = new AbortController();
    current = ctrl;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      if (silence) clearTimeout(silence);
      silence = setTimeout(() => ctrl.abort(new Error('The live stream went silent')), silenceTimeout);
    };
    try {
      arm();
      const res = await opts.fetch(opts.url, {
        headers: { accept: 'text/event-stream', ...opts.headers },
        credentials: 'include',
        cache: 'no-store',
        signal: ctrl.signal,
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        opts.onError(new Error(`The live stream answered HTTP ${res.status}`), res.status);
        return opts.isFatal?.(res.status) ? 'stop' : 'again';
      }
      delay = minDelay;
      opts.onOpen();
      const parse = createSseParser(opts.onData);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        arm();
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
      if (!closed) opts.onError(new Error('The live stream ended'));
      return 'again';
    } catch (err) {
      if (!closed) opts.onError(err);
      return 'again';
    } finally {
      if (silence) clearTimeout(silence);
      if (current === ctrl) current = null;
    }
  }

  (async () => {
    while (!closed) {
      const next = await connectOnce();
      if (closed || next === 'stop') break;
      await sleep(delay);
      delay = Math.min(maxDelay, delay * 2);
    }
  })();

  return {
    close() {
      closed = true;
      current?.abort();
      wakeSleep?.();
    },
    reconnectNow() {
      delay = minDelay;
      if (current) current.abort();
      else wakeSleep?.();
    },
  };
}
