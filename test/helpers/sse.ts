import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../../shared/sync';
import { streamPath } from './sync-api';

export interface OpenStream {
  /** Every data event received, in order. */
  events: StreamEvent[];
  /** Resolves once the server said the stream is live (`: subscribed`). */
  opened: Promise<void>;
  /** Resolves when the connection ended (the server went away, or close()). */
  ended: Promise<void>;
  /** Ids of every document received on the stream. */
  ids(): Set<string>;
  close(): void;
}

/** `GET /api/orgs/:orgId/sync/stream` as a tab opens it (with the session cookie), parsed by eventsource-parser as the app parses it. */
export function openStream(url: string, cookie: string, orgId: string): OpenStream {
  const events: StreamEvent[] = [];
  const ctrl = new AbortController();
  let opened!: () => void;
  let failed!: (err: unknown) => void;
  const openedP = new Promise<void>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  const parser = createParser({ onEvent: (ev) => events.push(JSON.parse(ev.data) as StreamEvent) });
  const ended = (async () => {
    try {
      const res = await fetch(url + streamPath(orgId), { headers: { cookie }, signal: ctrl.signal });
      if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.includes(': subscribed')) opened();
        parser.feed(value);
      }
    } catch (err) {
      failed(err);
    }
  })();
  // Awaited by whoever cares; an unobserved failure (after close) is not an error.
  openedP.catch(() => {});
  return {
    events,
    opened: openedP,
    ended,
    ids: () => new Set(events.flatMap((e) => (e.type === 'change' ? e.documents.map((d) => d.id) : []))),
    close: () => ctrl.abort(),
  };
}
