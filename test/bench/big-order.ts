/**
 * The largest allowed order (MAX_ORDER_SEATS, issue 12 §6) against everyone else: how long
 * another organization waits for its answers while one organization's 10,000-seat order is
 * materialized, next to the same requests on the same server with nothing else going on.
 * test/integration/order-size.test.ts asserts only that the other organization is answered;
 * the wait is measured here.
 */
import { startTestServer, type TestServer } from '../helpers/server';
import { syncPath } from '../helpers/sync-path';
import { claimFixture, seatsOrder } from '../integration/claims-fixtures';
import { now, round, summarize, type Summary } from './lib';

type Fixture = Awaited<ReturnType<typeof claimFixture>>;

const order = seatsOrder;

/** One round of the other organization's everyday requests (a pull, the public invitation), one after another; ms each. */
async function otherOrgRound(s: TestServer, other: Fixture): Promise<number[]> {
  const out: number[] = [];
  for (const send of [
    () => s.request(syncPath(other.org.orgId, 'licenses', 'pull'), { cookie: other.org.cookie, body: { checkpoint: null, batchSize: 10 } }),
    () => s.request(`/api/invitations/${other.invitation.token}`),
  ]) {
    const t0 = now();
    const r = await send();
    if (r.status !== 200) throw new Error(`the other organization got ${r.status}`);
    out.push(now() - t0);
  }
  return out;
}

export interface BigOrderFigure {
  dialect: 'sqlite' | 'postgres';
  seats: number;
  /** How long the 10,000-seat push took to answer. */
  pushMs: number;
  /** The other organization's requests while the push ran. */
  duringMs: Summary;
  /** The same requests with nothing else going on (same server, same run). */
  quietMs: Summary;
  /** duringMs.p99 / quietMs.p99. */
  p99VsQuiet: number;
  /** The longest single wait of the other organization while the push ran. */
  longestWaitMs: number;
}

/** Measures one dialect; `seats` is split over two order lines like a real order. */
export async function bigOrderFigure(dialect: 'sqlite' | 'postgres', seats = 10_000): Promise<BigOrderFigure> {
  const s = await startTestServer({ dialect });
  try {
    const big = await claimFixture(s, { seats: 0 });
    const other = await claimFixture(s, { seats: 1, orgName: 'Globex' });
    const quiet: number[] = [];
    for (let i = 0; i < 100; i++) quiet.push(...(await otherOrgRound(s, other)));
    const o = order(big, [Math.ceil(seats * 0.6), Math.floor(seats * 0.4)]);
    const t0 = now();
    let done = false;
    const pushing = s
      .request(syncPath(big.org.orgId, 'orders', 'push'), { cookie: big.org.cookie, body: [{ newDocumentState: o }] })
      .finally(() => (done = true));
    const during: number[] = [];
    while (!done) during.push(...(await otherOrgRound(s, other)));
    const pushed = await pushing;
    const pushMs = now() - t0;
    if (pushed.status !== 200 || pushed.json.rejected.length) throw new Error(`the big order was not accepted: ${JSON.stringify(pushed.json)}`);
    const d = summarize(during);
    const q = summarize(quiet);
    return { dialect, seats, pushMs: round(pushMs, 0), duringMs: d, quietMs: q, p99VsQuiet: round(d.p99 / q.p99, 2), longestWaitMs: round(Math.max(...during), 0) };
  } finally {
    await s.close();
  }
}
