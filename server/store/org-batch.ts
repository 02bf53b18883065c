/**
 * Group commit for one organization's writers (DESIGN §5 "Change numbers"): an organization's
 * transactions serialize on its change counter, so pieces of work that arrive while one runs
 * wait anyway. Instead of one transaction (and one fsync, or one PostgreSQL COMMIT) each, the
 * waiting ones run together in the next transaction, one after the other in arrival order;
 * one that throws is undone alone and the others still commit (runBatch).
 * Each is answered only after that transaction committed, so nothing is acknowledged before
 * it is durable. The queue is per process; with several processes on one PostgreSQL database
 * the counter row's lock still serializes their transactions.
 */
import type { Store } from './open-store';
import { orgTx, type OrgWriter } from './org-tx';

/** Pieces of work one transaction takes at most (the rest wait for the next one). */
export const GROUP_MAX = 64;

/**
 * How long (ms) a group runs before it lets the event loop take a turn. On SQLite every
 * statement runs synchronously, so a group of fifty claims would otherwise hold the loop for
 * tens of milliseconds, and Node (libuv ≥ 1.45) accepts one new connection per turn of the
 * loop: fifty people opening connections at once waited in the accept queue for one group
 * each, up to a second for the last. The turn costs a few microseconds.
 */
const TURN_MS = 2;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface Waiting {
  fn: (w: OrgWriter) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Per store, the organizations with a transaction running and who waits for the next one. */
const queues = new WeakMap<Store, Map<string, Waiting[]>>();

/**
 * Runs `fn` in a transaction of the organization (orgTx), shared with the other pieces of
 * work queued for it at the same time; `now` gives each transaction's time when it starts.
 * Resolves with what `fn` returned once that transaction committed; rejects with what `fn`
 * threw (its writes undone, the others' kept) or with the transaction's own failure.
 */
export function groupedOrgTx<T>(store: Store, orgId: string, now: () => Date, fn: (w: OrgWriter) => Promise<T>): Promise<T> {
  let byOrg = queues.get(store);
  if (!byOrg) queues.set(store, (byOrg = new Map()));
  const orgs = byOrg;
  return new Promise<T>((resolve, reject) => {
    const item: Waiting = { fn, resolve: resolve as (value: unknown) => void, reject };
    const queue = orgs.get(orgId);
    if (queue) {
      queue.push(item);
      return;
    }
    orgs.set(orgId, [item]);
    void runQueue(store, orgs, orgId, now);
  });
}

/** Thrown out of a straight run when a piece of work threw: the transaction is undone and the batch run again in savepoints. */
class PieceThrew extends Error {}

/**
 * Runs the batch in one transaction and settles each piece. A piece that throws is undone
 * alone, the others kept. Savepoints are what undo it, and on PostgreSQL each costs two round
 * trips (SAVEPOINT, RELEASE) per piece, a fifth of a claim's: so the batch first runs
 * straight, without them, and only when a piece throws (rare: claims answer refusals, they do
 * not throw) is that transaction rolled back whole and the batch run again, each piece in a
 * savepoint. Pieces are database work only (nothing of theirs outlives a rollback), so running
 * one twice is the same as running it once.
 */
async function runBatch(store: Store, orgId: string, now: () => Date, batch: Waiting[]): Promise<PromiseSettledResult<unknown>[]> {
  // Alone, a throw fails the transaction as it always did: no savepoint needed.
  if (batch.length === 1) return orgTx(store, orgId, now(), async (w) => [{ status: 'fulfilled', value: await batch[0].fn(w) } as const]);
  const inTurns = async <T>(w: OrgWriter, run: (b: Waiting) => Promise<T>): Promise<T[]> => {
    const out: T[] = [];
    let turnStart = performance.now();
    for (const b of batch) {
      out.push(await run(b));
      if (performance.now() - turnStart > TURN_MS) {
        await nextTurn();
        turnStart = performance.now();
      }
    }
    return out;
  };
  try {
    return await orgTx(store, orgId, now(), (w) =>
      inTurns(w, async (b): Promise<PromiseSettledResult<unknown>> => {
        try {
          return { status: 'fulfilled', value: await b.fn(w) };
        } catch (err) {
          throw new PieceThrew('a piece of work threw', { cause: err });
        }
      }),
    );
  } catch (err) {
    // The transaction's own failure (not a piece's): every piece hears of it.
    if (!(err instanceof PieceThrew)) throw err;
  }
  return orgTx(store, orgId, now(), (w) => inTurns(w, (b) => w.attempt(() => b.fn(w))));
}

async function runQueue(store: Store, orgs: Map<string, Waiting[]>, orgId: string, now: () => Date): Promise<void> {
  const queue = orgs.get(orgId)!;
  while (queue.length) {
    // Let the work already on its way join first: requests read what they need before queueing
    // (on SQLite through the one connection the last transaction held), and those reads finish
    // within this turn of the event loop.
    await nextTurn();
    const batch = queue.splice(0, GROUP_MAX);
    let settled: PromiseSettledResult<unknown>[];
    try {
      settled = await runBatch(store, orgId, now, batch);
    } catch (err) {
      for (const b of batch) b.reject(err);
      continue;
    }
    batch.forEach((b, i) => {
      const s = settled[i];
      if (s.status === 'fulfilled') b.resolve(s.value);
      else b.reject(s.reason);
    });
  }
  orgs.delete(orgId);
}
