import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { MeResponse, MyLicensesResponse } from '../../shared/api';
import type { AppEnv } from '../app-env';
import { meAnswer, myLicenses } from '../auth/me';
import { createEventQueue } from '../sync/event-queue';
import { KEEP_ALIVE_MS } from '../sync/hub';

type MeEvent = { event: 'me'; data: MeResponse } | { event: 'licenses'; data: MyLicensesResponse };

/**
 * `GET /api/me/stream` (shared/api.ts MeStreamEvent): the account's `me` and `licenses`,
 * sent when the stream opens and again whenever a change in any organization moves them (a
 * claim, revoke or move of a license they hold; a member or contact record of theirs; a
 * name they show). Each answer is read again in full and sent only when it differs from the
 * last one sent. Keep-alive comments hold it open; it ends with the session (issue 13).
 */
export async function meStream(c: Context<AppEnv>) {
  const { store, hub, sessions, logger } = c.get('deps');
  const account = c.get('account')!;
  const events = createEventQueue<MeEvent>({ keepAliveMs: KEEP_ALIVE_MS, onClose: () => stop() });
  const last = { me: '', licenses: '' };
  const orgIds = new Set<string>();
  let reading: Promise<void> | null = null;
  let readAgain = false;

  async function readAndSend() {
    const [me, licenses] = await Promise.all([meAnswer(store.db, account), myLicenses(store.db, account)]);
    orgIds.clear();
    for (const o of me.organizations) orgIds.add(o.id);
    for (const l of licenses.licenses) orgIds.add(l.organization.id);
    for (const w of licenses.waiting ?? []) orgIds.add(w.organization.id);
    const meJson = JSON.stringify(me);
    const licensesJson = JSON.stringify(licenses);
    if (meJson !== last.me) events.push({ event: 'me', data: me });
    if (licensesJson !== last.licenses) events.push({ event: 'licenses', data: licenses });
    last.me = meJson;
    last.licenses = licensesJson;
  }

  /** Reads again now, or right after the reading under way (changes arriving meanwhile are one more read, not many). */
  function touched() {
    if (events.closed) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = readAndSend()
      .catch((err: unknown) => {
        // The database did not answer: read again shortly rather than show stale answers.
        logger.warn({ err }, 'me stream: reading the account again failed');
        const t = setTimeout(touched, 1000);
        t.unref?.();
      })
      .finally(() => {
        reading = null;
        if (readAgain) {
          readAgain = false;
          touched();
        }
      });
  }

  let unsubscribe = () => {};
  let unwatch = () => {};
  function stop() {
    unsubscribe();
    unwatch();
  }
  unsubscribe = await hub.subscribeAccount({ account, orgIds, touched });
  unwatch = sessions.watch(c.get('session')!, () => events.close());
  touched();

  return streamSSE(c, async (stream) => {
    stream.onAbort(() => events.close());
    try {
      await stream.write(': subscribed\n\n');
      for await (const ev of events) {
        if ('type' in ev) await stream.write(': keep-alive\n\n');
        else await stream.writeSSE({ event: ev.event, data: JSON.stringify(ev.data) });
      }
    } finally {
      events.close();
    }
  });
}
