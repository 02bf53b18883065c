/**
 * Server-Sent Events read over fetch rather than EventSource: it can send our headers
 * (schema version; a Cookie in Node tests), runs the same in Node and browsers, and lets
 * us choose the reconnect policy. The text/event-stream format itself (WHATWG HTML
 * §9.2.6: fields, multi-line data, comments, CR/LF/CRLF line ends, a leading BOM) is
 * parsed by eventsource-parser.
 */
import { createParser } from 'eventsource-parser';

export interface EventStreamOptions {
  url: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Called when a connection is established (before its first event). */
  onOpen(): void;
  /** Called with each event's `data` (several data lines joined by \n) and its name ('message' when unnamed). */
  onData(data: string, event: string): void;
  /** A failed attempt or a dropped connection; `status` when the server answered. */
  onError(err: unknown, status?: number): void;
  /** Stop reconnecting after this answer (426: the app must reload first). */
  isFatal?(status: number): boolean;
  minDelay?: number;
  maxDelay?: number;
  /** No bytes for this long (the server sends keep-alives every 20 s): the connection is dead. */
  silenceTimeout?: number;
  /**
   * The most characters one event may hold before it is complete (default 16 Mi). A larger
   * one drops the connection, and the reconnection's resync pulls the same changes in pages.
   */
  maxEventSize?: number;
}

export interface EventStream {
  close(): void;
  /** Reconnects at once (the browser came back online). */
  reconnectNow(): void;
}

export function openEventStream(opts: EventStreamOptions): EventStream {
  const minDelay = opts.minDelay ?? 1000;
  const maxDelay = opts.maxDelay ?? 30_000;
  const silenceTimeout = opts.silenceTimeout ?? 60_000;
  const maxEventSize = opts.maxEventSize ?? 16 * 1024 * 1024;
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
      const parser = createParser({
        onEvent: (ev) => opts.onData(ev.data, ev.event ?? 'message'),
        onError(err) {
          // Unknown fields and bad `retry` values are ignored, as the standard says; only an
          // event past the size bound ends the connection.
          if (err.type === 'max-buffer-size-exceeded') ctrl.abort(new Error(`A live event exceeded ${maxEventSize} characters`));
        },
        maxBufferSize: maxEventSize,
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        arm();
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
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
