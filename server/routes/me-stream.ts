import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { meAnswer, myLicenses } from '../auth/me';
import { sseComment, sseFrame, sseStream } from '../sync/sse';

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
  const stream = sseStream();
  stream.write(sseComment('subscribed'));
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
    if (meJson !== last.me) stream.write(sseFrame(meJson, 'me'));
    if (licensesJson !== last.licenses) stream.write(sseFrame(licensesJson, 'licenses'));
    last.me = meJson;
    last.licenses = licensesJson;
  }

  /** Reads again now, or right after the reading under way (changes arriving meanwhile are one more read, not many). */
  function touched() {
    if (stream.closed) return;
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

  stream.onClose(await hub.subscribeAccount({ account, orgIds, touched }));
  stream.onClose(sessions.watch(c.get('session')!, () => stream.close()));
  touched();
  return stream.respond(c);
}
