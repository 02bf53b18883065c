import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Subscription } from 'rxjs';
import type { CollectionName } from '../../shared/schemas';
import type { StreamEvent } from '../../shared/sync';
import { scriptedServer, type ScriptedServer } from '../../test/helpers/scripted-server';
import type { PullStreamItem } from './collection-replication';
import type { EventStream } from './event-stream';
import { createStreamDispatch, openLiveStream, type StreamDispatch } from './live-stream';
import type { SyncEvents } from './sync-events';

const team = { id: 't1', orgId: 'o1', name: 'Platform', seq: 5, updatedAt: '2025-01-01T00:00:00.000Z', _deleted: false };
const change: StreamEvent = { type: 'change', collection: 'teams', documents: [team], checkpoint: { seq: 5, scope: 's1' } };

let subs: Subscription[] = [];
let stream: EventStream | undefined;
let server: ScriptedServer | undefined;
afterEach(async () => {
  subs.forEach((s) => s.unsubscribe());
  subs = [];
  stream?.close();
  stream = undefined;
  await server?.close();
  server = undefined;
});

/** What each collection's replication would receive on its pull stream. */
function listen(dispatch: StreamDispatch, names: CollectionName[]) {
  const got = Object.fromEntries(names.map((n) => [n, [] as PullStreamItem[]])) as Record<CollectionName, PullStreamItem[]>;
  for (const n of names) subs.push(dispatch.live$(n).subscribe((item) => got[n].push(item)));
  return got;
}

describe('stream dispatch', () => {
  it('hands a change to its collection only, makes every collection pull again on `reach`, and ignores what it cannot read', () => {
    let changes = 0;
    const dispatch = createStreamDispatch(['teams', 'licenses'], () => changes++);
    const got = listen(dispatch, ['teams', 'licenses']);

    dispatch.dispatch(JSON.stringify(change), 'message');
    expect(got.teams).toEqual([{ documents: [team], checkpoint: { seq: 5, scope: 's1' } }]);
    expect(got.licenses).toEqual([]);
    expect(changes).toBe(1);

    dispatch.dispatch(JSON.stringify({ type: 'reach', scope: 's2' }), 'reach');
    expect(got.teams.at(-1)).toBe('RESYNC');
    expect(got.licenses).toEqual(['RESYNC']);

    dispatch.dispatch('not json', 'message');
    dispatch.dispatch(JSON.stringify({ ...change, collection: 'invoices' }), 'message'); // not held here: heard, not handed on
    expect(got.teams).toHaveLength(2);
    expect(got.licenses).toHaveLength(1);
    expect(changes).toBe(2);
  });

  it('over a real connection: every (re)connection resyncs, events reach the replications, a dropped stream says offline, a 401 signed out', async () => {
    server = await scriptedServer((_req, res, n) => {
      if (n === 1) return void res.writeHead(401).end('{"error":"unauthenticated"}');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': subscribed\n\n');
      if (n === 0) {
        res.write(`data: ${JSON.stringify(change)}\n\n`);
        res.write(`event: reach\ndata: ${JSON.stringify({ type: 'reach', scope: 's2' })}\n\n`);
        setTimeout(() => res.end(), 30);
      }
    });
    const said: string[] = [];
    const events = {
      reached: () => said.push('reached'),
      synced: () => said.push('synced'),
      unreachable: (err: unknown) => said.push(`unreachable ${(err as Error).message}`),
      failed: (m: string) => said.push(`failed ${m}`),
      outdated: () => said.push('outdated'),
      signedOut: () => said.push('signedOut'),
      network: () => said.push('network'),
    } satisfies SyncEvents;
    const dispatch = createStreamDispatch(['teams', 'licenses'], events.synced);
    const got = listen(dispatch, ['teams', 'licenses']);
    stream = openLiveStream({ orgId: 'org-1', baseUrl: server.origin, fetch: (i, init) => fetch(i, init), headers: {}, reconnectDelay: { min: 5, max: 20 } }, events, dispatch);

    await vi.waitFor(() => expect(server!.requests).toHaveLength(3), { timeout: 5000, interval: 10 });
    await vi.waitFor(() => expect(said.filter((s) => s === 'reached')).toHaveLength(2), { timeout: 5000, interval: 10 });
    expect(server.requests.every((r) => r.path === '/api/orgs/org-1/sync/stream')).toBe(true);
    expect(got.teams).toEqual(['RESYNC', { documents: [team], checkpoint: { seq: 5, scope: 's1' } }, 'RESYNC', 'RESYNC']);
    expect(got.licenses).toEqual(['RESYNC', 'RESYNC', 'RESYNC']);
    expect(said).toEqual(['reached', 'synced', 'unreachable The live stream ended', 'signedOut', 'reached']);
  });
});
