import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorAnswer } from './http';

/** What a handler's database failure becomes: a coded answer the client can act on, never a bare 500. */
describe('errorAnswer', () => {
  const logged: Error[] = [];
  const app = new Hono()
    .get('/fail/:code', (c) => {
      throw Object.assign(new Error(`database said ${c.req.param('code')}`), { code: c.req.param('code') });
    })
    .onError((err, c) => errorAnswer(err, c, (e) => logged.push(e)));

  it.each([
    ['23505', 409, 'constraint-violated'],
    ['SQLITE_CONSTRAINT_UNIQUE', 409, 'constraint-violated'],
    ['40P01', 503, 'busy'],
    ['40001', 503, 'busy'],
    ['55P03', 503, 'busy'],
    ['53200', 503, 'busy'],
    ['SQLITE_BUSY', 503, 'busy'],
    ['57P01', 503, 'busy'],
    ['08006', 503, 'busy'],
    ['ECONNRESET', 503, 'busy'],
    ['ECONNREFUSED', 503, 'busy'],
    ['XX000', 500, 'internal'],
  ])('database code %s → %i %s', async (code, status, error) => {
    const res = await app.request(`/fail/${code}`);
    expect(res.status).toBe(status);
    expect((await res.json()).error).toBe(error);
    expect(logged.at(-1)?.message).toBe(`database said ${code}`);
  });

  it.each(['Connection terminated unexpectedly', 'Client has encountered a connection error and is not queryable', 'timeout exceeded when trying to connect'])(
    'a lost database connection ("%s") → 503 busy',
    async (message) => {
      const lost = new Hono().get('/', () => {
        throw new Error(message);
      });
      lost.onError((err, c) => errorAnswer(err, c, () => {}));
      const res = await lost.request('/');
      expect(res.status).toBe(503);
      expect((await res.json()).error).toBe('busy');
    },
  );
});
