import { afterEach, describe, expect, it } from 'vitest';
import type { PushRow } from '../../shared/sync';
import { scriptedServer, type ScriptedServer } from '../../test/helpers/scripted-server';
import type { SyncEvents } from './sync-events';
import { createTransport, HttpError } from './transport';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every report the transport makes, in order. */
function recorder() {
  const said: string[] = [];
  const events: SyncEvents = {
    reached: () => said.push('reached'),
    synced: () => said.push('synced'),
    unreachable: () => said.push('unreachable'),
    failed: (m) => said.push(`failed ${m}`),
    outdated: () => said.push('outdated'),
    signedOut: () => said.push('signedOut'),
    network: (online) => said.push(`network ${online}`),
  };
  return { said, events };
}

const transportTo = (origin: string, events: SyncEvents) =>
  createTransport({ orgId: 'org-1', baseUrl: origin, fetch: (input, init) => fetch(input, init), headers: { 'x-allot-schema': '3', cookie: 's=1' } }, events);

const row = (id: string): PushRow => ({ assumedMasterState: null, newDocumentState: { id, name: id } });
const json = (body: unknown) => JSON.stringify(body);

describe('transport', () => {
  it('pulls with the checkpoint and batch size as JSON, with the schema header', async () => {
    server = await scriptedServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(json({ documents: [], checkpoint: { seq: 9 } }));
    });
    const { said, events } = recorder();
    const answer = await transportTo(server.origin, events).pull('teams', { seq: 4 }, 50);
    expect(answer).toEqual({ documents: [], checkpoint: { seq: 9 } });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/orgs/org-1/sync/teams/pull');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-allot-schema']).toBe('3');
    expect(req.headers.cookie).toBe('s=1');
    expect(JSON.parse(req.body)).toEqual({ checkpoint: { seq: 4 }, batchSize: 50 });
    expect(said).toEqual([]);
  });

  it('sends a push over the body limit (413) in halves until each part fits, and answers with all the parts’ results in order', async () => {
    // This server takes at most two rows a request; it refuses each row whose id starts with "x".
    server = await scriptedServer((req, res) => {
      const rows = JSON.parse(req.body) as PushRow[];
      if (rows.length > 2) return void res.writeHead(413).end('{"error":"too-large"}');
      const refused = rows.filter((r) => String(r.newDocumentState.id).startsWith('x'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        json({
          conflicts: refused.map((r) => ({ ...r.newDocumentState, _deleted: true })),
          rejected: refused.map((r) => ({ id: r.newDocumentState.id, code: 'not-allowed', message: 'no' })),
        }),
      );
    });
    const { said, events } = recorder();
    const answer = await transportTo(server.origin, events).push('contacts', ['a', 'x1', 'b', 'c', 'x2'].map(row));
    expect(server.requests.map((r) => (JSON.parse(r.body) as PushRow[]).map((x) => x.newDocumentState.id))).toEqual([
      ['a', 'x1', 'b', 'c', 'x2'],
      ['a', 'x1', 'b'],
      ['a', 'x1'],
      ['b'],
      ['c', 'x2'],
    ]);
    expect(answer.rejected.map((r) => r.id)).toEqual(['x1', 'x2']);
    expect(answer.conflicts.map((d) => d.id)).toEqual(['x1', 'x2']);
    // Each 413 is an error answer from a reachable server, shown until a later answer clears it.
    expect(said).toEqual(['reached', 'failed /api/orgs/org-1/sync/contacts/push: HTTP 413', 'reached', 'failed /api/orgs/org-1/sync/contacts/push: HTTP 413']);
  });

  it('gives up on a single row the server still finds too large', async () => {
    server = await scriptedServer((_req, res) => void res.writeHead(413).end());
    const { events } = recorder();
    const err = await transportTo(server.origin, events)
      .push('contacts', [row('a')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(413);
    expect(server.requests).toHaveLength(1);
  });

  it('reports 426 as outdated, 401 as signed out, another error answer as a failure, and no answer as unreachable', async () => {
    const statuses = [426, 401, 500];
    server = await scriptedServer((_req, res, n) => void res.writeHead(statuses[n]).end('{"error":"x"}'));
    const { said, events } = recorder();
    const t = transportTo(server.origin, events);
    for (const status of statuses) {
      const err = await t.pull('teams', null, 10).catch((e: unknown) => e);
      expect((err as HttpError).status).toBe(status);
    }
    expect(said).toEqual(['outdated', 'signedOut', 'reached', 'failed /api/orgs/org-1/sync/teams/pull: HTTP 500']);

    const origin = server.origin;
    await server.close();
    server = undefined;
    await expect(transportTo(origin, events).pull('teams', null, 10)).rejects.toThrow();
    expect(said.at(-1)).toBe('unreachable');
  });
});
