/**
 * DESIGN §5 when the live stream is faster than a push's own answer — as it is when another
 * server process sends the change, or simply over a slow link: a client whose push answers
 * come late (here 300 ms after the server sent them) still ends holding exactly the server's
 * document, server-set fields (`seq`, `updatedAt`) included, after a conflict resolved field
 * by field on reconnecting, and after a plain edit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { skipWithoutPg } from '../helpers/pg';
import { contactsOf, converged, settled, sharedContact as shared } from './sync-clients';
import { pullAll } from './permissions-fixtures';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(skipWithoutPg(dialect, 'push answers slower than the stream'))(`push answers slower than the stream on ${dialect}`, () => {
    let s: TestServer;
    let pair: Awaited<ReturnType<typeof shared>> | undefined;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
    });
    afterEach(async () => {
      await pair?.close();
      pair = undefined;
    });
    afterAll(async () => s?.close());

    const sharedContact = async () => (pair = await shared(s));

    /** The server's own copy of the contact. */
    async function onServer(orgId: string, cookie: string, id: string) {
      return (await pullAll(s, 'contacts', cookie, orgId)).docs.find((d) => d.id === id);
    }

    it('a conflict resolved on reconnecting: the client ends with the server’s document, seq included', async () => {
      const { a, b, org, id } = await sharedContact();
      b.net.delayAnswers('/push', 300);
      b.net.cut();
      await (await b.db.contacts.findOne(id).exec())!.incrementalPatch({ name: 'From B', disabled: true });
      await (await a.db.contacts.findOne(id).exec())!.incrementalPatch({ name: 'From A' });
      await settled(a);
      b.net.restore();
      await converged(a, b);
      const server = await onServer(org.orgId, org.cookie, id);
      const [local] = (await contactsOf(b)).filter((d) => d.id === id);
      expect(server).toMatchObject({ name: 'From A', disabled: true });
      expect({ seq: local.seq, updatedAt: local.updatedAt }).toEqual({ seq: server!.seq, updatedAt: server!.updatedAt });
    });

    it('a plain edit: the client ends with the server’s document, seq included', async () => {
      const { a, b, org, id } = await sharedContact();
      b.net.delayAnswers('/push', 300);
      await (await b.db.contacts.findOne(id).exec())!.incrementalPatch({ name: 'Edited on B' });
      await converged(a, b);
      const server = await onServer(org.orgId, org.cookie, id);
      const [local] = (await contactsOf(b)).filter((d) => d.id === id);
      expect(server?.name).toBe('Edited on B');
      expect({ seq: local.seq, updatedAt: local.updatedAt }).toEqual({ seq: server!.seq, updatedAt: server!.updatedAt });
    });
  });
}
