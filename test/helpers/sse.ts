import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../../shared/sync';
import type { MeResponse, MeStreamEvent, MyLicensesResponse } from '../../shared/api';
import { ME_STREAM_PATH } from '../../shared/sync-paths';
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

/** One named event of `GET /api/me/stream`. */
export type MeEvent = MeStreamEvent;

export interface OpenMeStream {
  /** Every `me` and `licenses` event received, in order. */
  events: MeEvent[];
  /** The latest `licenses` answer received (undefined before the first). */
  licenses(): MyLicensesResponse | undefined;
  /** The latest `me` answer received. */
  me(): MeResponse | undefined;
  opened: Promise<void>;
  ended: Promise<void>;
  close(): void;
}

/** `GET /api/me/stream` as the app opens it (with the session cookie), parsed by eventsource-parser. */
export function openMeStream(url: string, cookie: string): OpenMeStream {
  const events: MeEvent[] = [];
  const ctrl = new AbortController();
  let opened!: () => void;
  let failed!: (err: unknown) => void;
  const openedP = new Promise<void>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  const parser = createParser({
    onEvent: (ev) => {
      if (ev.event === 'me') events.push({ event: 'me', data: JSON.parse(ev.data) as MeResponse });
      else if (ev.event === 'licenses') events.push({ event: 'licenses', data: JSON.parse(ev.data) as MyLicensesResponse });
    },
  });
  const ended = (async () => {
    try {
      const res = await fetch(url + ME_STREAM_PATH, { headers: { cookie }, signal: ctrl.signal });
      if (res.status !== 200 || !res.body) throw new Error(`me stream answered ${res.status}: ${await res.text()}`);
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
  openedP.catch(() => {});
  return {
    events,
    licenses: () => events.flatMap((e) => (e.event === 'licenses' ? [e.data] : [])).at(-1),
    me: () => events.flatMap((e) => (e.event === 'me' ? [e.data] : [])).at(-1),
    opened: openedP,
    ended,
    close: () => ctrl.abort(),
  };
}
