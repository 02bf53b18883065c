/**
 * Figure 7 (issue 17, DESIGN §15): the Audit log screen of the built app over an organization
 * holding 100,000 audit events — the time until the first event shows, until every event is
 * counted, and from typing a filter (a document, a person) to the filtered list on screen —
 * next to the same screen over 1,000 events, measured in the same run.
 */
import type { Browser } from 'playwright-core';
import { newId } from '../../shared/ids';
import type { Store } from '../../server/store/open-store';
import { context, pageErrors } from './browser';
import { bulkSeed, log, round, summarize, type ChildServer, type SeededOrg } from './lib';

const KINDS = ['create', 'update', 'delete', 'revoke', 'claim', 'claim-refused', 'waitlist-join', 'sign-in', 'email-sent'] as const;
const COLLECTIONS = ['contacts', 'licenses', 'invitations', 'teams', 'orders', 'members', 'notifications'] as const;

/** What the seeded log holds: which documents and people to filter by, and how many events each has. */
export interface SeededLog {
  events: number;
  docs: { id: string; events: number }[];
  people: { email: string; events: number }[];
}

/** `n` audit events in `org`: 40 people, n / 20 documents, spread over the last 300 days. */
export async function seedAuditLog(store: Store, org: SeededOrg, n: number): Promise<SeededLog> {
  const people = Array.from({ length: 40 }, (_, i) => ({ accountId: newId(), email: `actor${i}@${org.orgId.slice(0, 8)}.bench.test`, name: `Actor ${i}` }));
  const docIds = Array.from({ length: Math.max(1, Math.floor(n / 20)) }, () => newId());
  const perDoc = new Map<string, number>();
  const perPerson = new Map<string, number>();
  const start = Date.now() - 300 * 86_400_000;
  const events = Array.from({ length: n }, (_, i) => {
    const who = people[(i * 7) % people.length];
    const docId = docIds[(i * 13) % docIds.length];
    perDoc.set(docId, (perDoc.get(docId) ?? 0) + 1);
    perPerson.set(who.email, (perPerson.get(who.email) ?? 0) + 1);
    return {
      id: newId(),
      orgId: org.orgId,
      at: new Date(start + Math.floor((i / n) * 300 * 86_400_000)).toISOString(),
      kind: KINDS[i % KINDS.length],
      actorAccountId: who.accountId,
      actorEmail: who.email,
      actorName: who.name,
      collection: COLLECTIONS[i % COLLECTIONS.length],
      docId,
      changes: [
        { field: 'name', before: `"Name ${i}"`, after: `"Name ${i + 1}"` },
        { field: 'status', before: '"available"', after: '"assigned"' },
      ],
      summary: `Changed document ${i}`,
      client: { address: '192.0.2.10', userAgent: 'Mozilla/5.0 (bench)' },
    };
  });
  for (let i = 0; i < events.length; i += 10_000) await bulkSeed(store, org.orgId, [{ collection: 'auditEvents', docs: events.slice(i, i + 10_000) }]);
  return {
    events: n,
    docs: docIds.slice(0, 5).map((id) => ({ id, events: perDoc.get(id) ?? 0 })),
    people: people.slice(0, 5).map((p) => ({ email: p.email, events: perPerson.get(p.email) ?? 0 })),
  };
}

/** Resolves with performance.now() once the count (`.toolbar-count`) says `want`. */
const COUNT_SAYS = `function (want) {
  var el = document.querySelector('.toolbar-count');
  return el && el.textContent.replace(/\\s+/g, ' ').trim() === want ? performance.now() : false;
}`;

/** Sets a filter control (`selector`) to `value` and measures until the count says `want`, then the next frame. */
const FILTER_TO = `function (args) {
  return new Promise(function (resolve) {
    var el = document.querySelector(args.selector);
    var t0 = performance.now();
    var proto = el.tagName === 'SELECT' ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, args.value);
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    function check() {
      var c = document.querySelector('.toolbar-count');
      var first = document.querySelector('[role="table"][aria-label="Audit events"] .vtable-body [role="row"]');
      if (c && c.textContent.replace(/\\s+/g, ' ').trim() === args.want && (args.want === '0 events' || first)) {
        requestAnimationFrame(function () { resolve(performance.now() - t0); });
      } else requestAnimationFrame(check);
    }
    check();
  });
}`;

const label = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;

/** The Audit log screen over `seeded`: first event shown, all counted, and filter latencies (ms). */
export async function auditScreen(browser: Browser, server: ChildServer, org: SeededOrg, seeded: SeededLog) {
  const ctx = await context(browser, server, org.admin.secret);
  const page = await ctx.newPage();
  const errors: string[] = [];
  pageErrors(page, errors);
  await page.goto(`${server.url}/o/${org.orgId}/audit`);
  // Waited for inside the page (a rAF loop through the DevTools protocol: the app's CSP forbids string eval).
  const whenTrue = (cond: string) =>
    page.evaluate(`new Promise(function (resolve) { (function check() { if (${cond}) resolve(performance.now()); else requestAnimationFrame(check); })(); })`) as Promise<number>;
  const firstRow = await whenTrue(`document.querySelector('[role="table"][aria-label="Audit events"] .vtable-body [role="row"]')`);
  const allCounted = await whenTrue(`(${COUNT_SAYS})(${JSON.stringify(label(seeded.events))})`);
  const byDoc: number[] = [];
  const byPerson: number[] = [];
  for (const d of seeded.docs) {
    byDoc.push((await page.evaluate(`(${FILTER_TO})(${JSON.stringify({ selector: 'input[placeholder="Document id"]', value: d.id, want: label(d.events) })})`)) as number);
    byDoc.push((await page.evaluate(`(${FILTER_TO})(${JSON.stringify({ selector: 'input[placeholder="Document id"]', value: '', want: label(seeded.events) })})`)) as number);
  }
  const personSelect = 'select:has(option[value="server"])';
  for (const p of seeded.people) {
    byPerson.push((await page.evaluate(`(${FILTER_TO})(${JSON.stringify({ selector: personSelect, value: p.email, want: label(p.events) })})`)) as number);
    byPerson.push((await page.evaluate(`(${FILTER_TO})(${JSON.stringify({ selector: personSelect, value: '', want: label(seeded.events) })})`)) as number);
  }
  await ctx.close();
  log(`  audit log ${seeded.events}: first event ${round(firstRow)} ms, all counted ${round(allCounted)} ms, filter p50 ${round(summarize(byDoc).p50)} ms`);
  return {
    events: seeded.events,
    firstRowMs: round(firstRow),
    allCountedMs: round(allCounted),
    filterByDocumentMs: summarize(byDoc),
    filterByPersonMs: summarize(byPerson),
    pageErrors: errors.slice(0, 5),
  };
}
