import type { CollectionName, WireDoc } from '../../shared/schemas';
import type { StreamEvent } from '../../shared/sync';
import type { Principal } from '../auth/principal';
import type { AccountRow as Account } from '../store/accounts';
import type { Store } from '../store/open-store';
import { allCurrentSeqs, CATALOG_ORG, changesAfter, currentSeq, pullTombstones } from '../store/docs';
import { audienceOf, canSee, scopeOf, type Person, type Scope } from '../../shared/permissions';
import { personOf } from '../auth/principal';
import { scopeFingerprint } from './visibility';
import { sseFrame, type SseStream } from './sse';

/** A committed batch of one organization: each collection's changed documents and the tombstones written with them, in `seq` order. */
interface Batch {
  orgId: string;
  docs: Map<CollectionName, WireDoc[]>;
  gone: Map<CollectionName, { doc: WireDoc; audience: string }[]>;
}

const docsOf = <C extends CollectionName>(batch: Batch, c: C) => (batch.docs.get(c) ?? []) as WireDoc<C>[];

/** Does this batch add, change or take away a license the account holds? */
function touchesLicensesOf(accountId: string, batch: Batch): boolean {
  return (
    docsOf(batch, 'licenses').some((l) => l.assignee?.accountId === accountId) ||
    (batch.gone.get('licenses') ?? []).some((t) => t.audience === `assigneeAccountId:${accountId}`)
  );
}

/**
 * What a batch holds that a person's reach (in the batch's organization) is made of: made once
 * per batch, so each stream's check is a few lookups. Null when the batch touches no reach.
 */
interface ReachTouched {
  /** Member records' accounts, and the accounts given (or no longer given) a license. */
  accountIds: Set<string | undefined | null>;
  memberIds: Set<string>;
  contactEmails: Set<string | undefined | null>;
  contactIds: Set<string>;
  /** The members who placed orders in the batch (a partner's reach, DESIGN §4). */
  placedBy: Set<string | undefined | null>;
}

const ASSIGNEE_AUDIENCE = 'assigneeAccountId:';

function reachTouched(batch: Batch): ReachTouched | null {
  const members = docsOf(batch, 'members');
  const contacts = docsOf(batch, 'contacts');
  const licenses = docsOf(batch, 'licenses');
  const lostLicenses = batch.gone.get('licenses') ?? [];
  const orders = docsOf(batch, 'orders');
  if (!members.length && !contacts.length && !licenses.length && !lostLicenses.length && !orders.length) return null;
  const accountIds = new Set<string | undefined | null>(members.map((m) => m.accountId));
  // Holding a first license (or none any more) lets a person into an organization (or out).
  for (const l of licenses) if (l.assignee) accountIds.add(l.assignee.accountId);
  for (const t of lostLicenses) if (t.audience.startsWith(ASSIGNEE_AUDIENCE)) accountIds.add(t.audience.slice(ASSIGNEE_AUDIENCE.length));
  return {
    accountIds,
    memberIds: new Set(members.map((m) => m.id)),
    contactEmails: new Set(contacts.map((c) => c.email)),
    contactIds: new Set(contacts.map((c) => c.id)),
    placedBy: new Set(orders.map((o) => o.placedByMemberId)),
  };
}

/** Does the batch touch the member or contact records the person's reach is made of (or give or take their licenses)? */
function touchesReach(p: Principal, view: View, t: ReachTouched): boolean {
  return (
    t.accountIds.has(p.account.id) ||
    (!!p.member && (t.memberIds.has(p.member.id) || (p.member.isPartner && t.placedBy.has(p.member.id)))) ||
    t.contactEmails.has(view.email) ||
    p.contacts.some((c) => t.contactIds.has(c.id))
  );
}

/** One organization's live stream of one tab (`GET /api/orgs/:orgId/sync/stream`). */
export interface StreamConnection {
  principal: Principal;
  /** Sends an SSE frame of a StreamEvent (the same buffer goes to every stream it is for). */
  send(frame: Buffer): void;
  /** Re-reads the person's reach in the organization; null when none is left (the stream ends). */
  refresh(): Promise<Principal | null>;
  /** Ends the stream: nothing more is delivered on it. */
  end(): void;
}

/**
 * One account's stream across organizations (`GET /api/me/stream`): told when a change may
 * have moved what `/api/me` or `/api/me/licenses` answer; it reads them again itself.
 */
export interface AccountConnection {
  account: Account;
  /** The organizations the last answers named (where the account has reach or holds licenses). */
  orgIds: ReadonlySet<string>;
  /** A change may have moved its answers. */
  touched(): void;
}

/**
 * The SSE frame of a change event: `JSON.stringify` of StreamEvent's
 * `{ type: 'change', collection, documents, checkpoint: { seq, scope } }` (in that key order),
 * from the documents' JSON made once for everyone who sees the same documents.
 */
export function changeFrame(collection: CollectionName, documentsJson: string, seq: number, scope: string): Buffer {
  return sseFrame(
    `{"type":"change","collection":${JSON.stringify(collection)},"documents":${documentsJson},"checkpoint":{"seq":${JSON.stringify(seq)},"scope":${JSON.stringify(scope)}}}`,
  );
}

const reachFrame = (scope: string) => sseFrame(JSON.stringify({ type: 'reach', scope } satisfies StreamEvent), 'reach');

/**
 * What the hub works out once per principal (a refreshed reach is a new principal), when its
 * stream opens rather than at each change: the person the permission rules judge, their scope
 * fingerprint, and per collection the audience they belong to.
 */
interface View {
  person: Person;
  fingerprint: string;
  /** The account's address as contacts hold it (lower case). */
  email: string;
  audiences: Partial<Record<CollectionName, Audience | null>>;
}

/**
 * The people who see the same of a collection: their scope of it (canSee within the batch's
 * organization and the tombstones of its audiences depend on it alone), its key, and the key of
 * the frames made for them (the checkpoint names the fingerprint too).
 */
interface Audience {
  scope: Exclude<Scope, 'none'>;
  key: string;
  frameKey: string;
}

const views = new WeakMap<Principal, View>();
function viewOf(p: Principal): View {
  let v = views.get(p);
  if (v === undefined) {
    const person = personOf(p);
    views.set(p, (v = { person, fingerprint: scopeFingerprint(p), email: p.account.email.toLowerCase(), audiences: {} }));
  }
  return v;
}

/** The audience the person of `view` belongs to for `collection`; null when they see none of it. */
function audienceIn(view: View, collection: CollectionName): Audience | null {
  let a = view.audiences[collection];
  if (a === undefined) {
    const scope = scopeOf(view.person, collection);
    if (scope === 'none') a = null;
    else {
      const key = `${collection}\n${JSON.stringify(scope)}`;
      a = { scope, key, frameKey: `${key}\n${view.fingerprint}` };
    }
    view.audiences[collection] = a;
  }
  return a;
}

export interface Hub {
  subscribe(conn: StreamConnection): Promise<() => void>;
  /**
   * Feeds a live stream for a person in one organization (DESIGN §5) until it closes:
   * subscribed before it returns, so once a client sees the stream open every later change
   * reaches it and the pull it makes on opening misses nothing. `refresh` re-reads their
   * principal there when their reach may have moved; when it finds none the stream ends.
   */
  open(principal: Principal, refresh: () => Promise<Principal | null>, stream: SseStream): Promise<void>;
  /**
   * Follows every organization for one account's stream (`/api/me/stream`): subscribed
   * before it returns, so every change committed after it is weighed for `conn`.
   */
  subscribeAccount(conn: AccountConnection): Promise<() => void>;
  /**
   * Tells this process's streams of one account that its `/api/me/licenses` answer may have
   * moved without a document change (a machine activated or deactivated, DESIGN §14: server-only
   * rows). Other processes' streams learn at their next change; the page reads again on opening.
   */
  touchAccount(accountId: string): void;
  connectionCount(): number;
  /**
   * Reads every followed organization forward from the last change delivered: after change
   * notices may have been lost (the LISTEN connection dropped), so no stream misses a change.
   */
  catchUp(): void;
  close(): void;
}

const TAIL_BATCH = 1000;

/**
 * Per batch, made as the first stream that needs them asks: the collections it changes, the
 * documents' JSON per audience (null: nothing to send) and the frames made of it per audience and
 * fingerprint (null: none), and what it touches of people's reach.
 */
interface Frames {
  seq: number;
  collections: CollectionName[];
  reach: ReachTouched | null;
  documents: Map<string, string | null>;
  frames: Map<string, Buffer | null>;
}

/**
 * Fans committed changes out to live streams, per (account, organization) (DESIGN §3, §5).
 * For each organization it reads the docs table forward from the last change it delivered,
 * in `seq` order, so every connection sees every change once and in commit order, whichever
 * process wrote it. Organizations' streams hear only their own organization (and the catalog);
 * accounts' streams hear every organization.
 */
export function createHub(store: Store): Hub {
  const conns = new Map<string, Set<StreamConnection>>();
  const accountConns = new Set<AccountConnection>();
  const lastSeq = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  /** Every organization is followed (an account stream is open, or was): see followEverything. */
  let followAll: 'no' | 'starting' | 'yes' = 'no';
  /** Organizations whose changes were announced while every organization's position was being read. */
  const announcedWhileStarting = new Set<string>();
  let closed = false;

  async function tail(orgId: string) {
    let since = lastSeq.get(orgId) ?? 0;
    for (;;) {
      const from = since;
      const rows = await changesAfter(store.db, orgId, since, TAIL_BATCH);
      if (!rows.length) break;
      since = rows[rows.length - 1].doc.seq;
      const batch: Batch = { orgId, docs: new Map(), gone: new Map() };
      for (const r of rows) {
        if (!batch.docs.has(r.collection)) batch.docs.set(r.collection, []);
        batch.docs.get(r.collection)!.push(r.doc);
      }
      // A tombstone commits with the document change that made it, which always has a higher
      // `seq`: every tombstone up to the last document read is committed and none later is lost.
      const full = rows.length === TAIL_BATCH;
      const gone = await pullTombstones(store.db, orgId, null, [], from, 100_000, since);
      for (const t of gone) {
        if (!batch.gone.has(t.collection)) batch.gone.set(t.collection, []);
        batch.gone.get(t.collection)!.push(t);
      }
      lastSeq.set(orgId, since);
      // Frames leave at once (sse.ts writes them to the sockets): first let the work already
      // queued finish, so that the request which made the change has answered before its
      // streams hear of it (a tab learns of its own push from the push's answer first, as
      // RxDB's replication expects).
      await new Promise<void>((resolve) => process.nextTick(resolve));
      const targets = orgId === CATALOG_ORG ? [...conns.values()].flatMap((s) => [...s]) : [...(conns.get(orgId) ?? [])];
      // Each event is serialized once per audience: streams that see the same documents share them.
      const frames: Frames = {
        seq: since,
        collections: [...new Set([...batch.docs.keys(), ...batch.gone.keys()])],
        reach: orgId === CATALOG_ORG ? null : reachTouched(batch),
        documents: new Map(),
        frames: new Map(),
      };
      // Streams whose reach the batch may move wait for it to be read again; the others get
      // their frames now, in one synchronous pass.
      const refreshing: Promise<void>[] = [];
      for (const conn of targets) {
        const view = viewOf(conn.principal);
        if (frames.reach && touchesReach(conn.principal, view, frames.reach)) refreshing.push(deliverAfterRefresh(conn, view, batch, frames));
        else deliver(conn, view, batch, frames);
      }
      if (refreshing.length) await Promise.all(refreshing);
      for (const a of accountConns) if (touchesAccount(a, batch)) a.touched();
      if (!full) break;
    }
  }

  /** May this batch change what `/api/me` or `/api/me/licenses` answer for the account? */
  function touchesAccount(a: AccountConnection, batch: Batch): boolean {
    // A product renamed: every license of it shows the new name.
    if (batch.orgId === CATALOG_ORG) return true;
    const email = a.account.email.toLowerCase();
    if (docsOf(batch, 'members').some((m) => m.accountId === a.account.id)) return true;
    if (docsOf(batch, 'contacts').some((c) => c.email === email)) return true;
    if (touchesLicensesOf(a.account.id, batch)) return true;
    // A waitlist of theirs: their own entry, or anyone's in an organization where they wait (their place moves).
    if (docsOf(batch, 'waitlistEntries').some((e) => e.account.id === a.account.id)) return true;
    if (a.orgIds.has(batch.orgId) && batch.docs.has('waitlistEntries')) return true;
    // In an organization it is part of: its name, a team's name, a record of theirs that changed address.
    return a.orgIds.has(batch.orgId) && ['organizations', 'teams', 'members', 'contacts'].some((c) => batch.docs.has(c as CollectionName));
  }

  /** Reads the person's reach again before delivering: it may end the stream, or tell it the reach moved. */
  async function deliverAfterRefresh(conn: StreamConnection, view: View, batch: Batch, frames: Frames) {
    const now = await conn.refresh();
    if (!now) {
      // Nothing left here (removed, disabled, last license revoked): the stream ends and the
      // tab learns, on reconnecting, that the organization is not theirs any more.
      conn.end();
      return;
    }
    const after = viewOf(now);
    if (view.fingerprint !== after.fingerprint) {
      // Their checkpoints are stale now: the client pulls again and the server answers with a reset.
      conn.send(reachFrame(after.fingerprint));
      return;
    }
    deliver(conn, after, batch, frames);
  }

  /** Sends the stream the batch's frames for what its person sees. */
  function deliver(conn: StreamConnection, view: View, batch: Batch, frames: Frames) {
    for (const collection of frames.collections) {
      const audience = audienceIn(view, collection);
      if (audience === null) continue;
      let frame = frames.frames.get(audience.frameKey);
      if (frame === undefined) {
        let documents = frames.documents.get(audience.key);
        if (documents === undefined) {
          const { person } = view;
          const visible = (batch.docs.get(collection) ?? []).filter((d) => canSee(person, collection, d));
          const audiences = new Set(audienceOf(audience.scope));
          const lost = (batch.gone.get(collection) ?? []).filter((t) => audiences.has(t.audience)).map((t) => t.doc);
          const docs = lost.length ? [...visible, ...lost].sort((a, b) => a.seq - b.seq) : visible;
          documents = docs.length ? JSON.stringify(docs) : null;
          frames.documents.set(audience.key, documents);
        }
        frame = documents === null ? null : changeFrame(collection, documents, frames.seq, view.fingerprint);
        frames.frames.set(audience.frameKey, frame);
      }
      if (frame !== null) conn.send(frame);
    }
  }

  function schedule(orgId: string) {
    if (closed) return;
    if (!lastSeq.has(orgId)) {
      if (followAll === 'starting') announcedWhileStarting.add(orgId);
      // Made after every position was read: all its changes are new.
      if (followAll !== 'yes') return;
      lastSeq.set(orgId, 0);
    }
    if (running.has(orgId)) {
      again.add(orgId);
      return;
    }
    const p = tail(orgId)
      // The database did not answer (a dropped connection): read again shortly, from the same
      // place, rather than wait for a next change that may never come.
      .catch(() => {
        const retry = setTimeout(() => schedule(orgId), 1000);
        retry.unref?.();
      })
      .finally(() => {
        running.delete(orgId);
        if (again.delete(orgId)) schedule(orgId);
      });
    running.set(orgId, p);
  }

  /**
   * From now on every organization's changes are read: each organization's position is read
   * at once (one query), and one created later starts from zero. A change announced while the
   * positions were read is read again after, so none falls between.
   */
  let following: Promise<void> | null = null;
  function followEverything(): Promise<void> {
    if (followAll === 'yes') return Promise.resolve();
    following ??= (async () => {
      followAll = 'starting';
      try {
        const seqs = await allCurrentSeqs(store.db);
        for (const [orgId, seq] of seqs) if (!lastSeq.has(orgId)) lastSeq.set(orgId, seq);
        if (!lastSeq.has(CATALOG_ORG)) lastSeq.set(CATALOG_ORG, 0);
        followAll = 'yes';
        for (const orgId of announcedWhileStarting) schedule(orgId);
        announcedWhileStarting.clear();
      } catch (err) {
        followAll = 'no';
        throw err;
      } finally {
        following = null;
      }
    })();
    return following;
  }

  const off = store.onChange(schedule);
  const catchUp = () => {
    for (const orgId of lastSeq.keys()) schedule(orgId);
  };
  const offReconnect = store.onReconnect(catchUp);

  async function subscribe(conn: StreamConnection) {
    const orgId = conn.principal.orgId;
    // Worked out now, while the stream opens, rather than at its first change.
    viewOf(conn.principal);
    if (!lastSeq.has(orgId)) lastSeq.set(orgId, await currentSeq(store.db, orgId));
    if (!lastSeq.has(CATALOG_ORG)) lastSeq.set(CATALOG_ORG, await currentSeq(store.db, CATALOG_ORG));
    if (!conns.has(orgId)) conns.set(orgId, new Set());
    conns.get(orgId)!.add(conn);
    return () => {
      conns.get(orgId)?.delete(conn);
    };
  }

  return {
    subscribe,
    async open(principal, refresh, stream) {
      let current = principal;
      const unsubscribe = await subscribe({
        get principal() {
          return current;
        },
        send: (frame) => stream.write(frame),
        async refresh() {
          const now = await refresh();
          if (now) current = now;
          return now;
        },
        end: () => stream.close(),
      });
      stream.onClose(unsubscribe);
    },
    async subscribeAccount(conn) {
      await followEverything();
      accountConns.add(conn);
      return () => {
        accountConns.delete(conn);
      };
    },
    touchAccount(accountId) {
      for (const a of accountConns) if (a.account.id === accountId) a.touched();
    },
    connectionCount: () => [...conns.values()].reduce((n, s) => n + s.size, 0) + accountConns.size,
    catchUp,
    close() {
      closed = true;
      off();
      offReconnect();
      conns.clear();
      accountConns.clear();
    },
  };
}
