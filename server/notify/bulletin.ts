import { newId } from '../../shared/ids';
import { TOPIC_NAMES, type BulletinTopic } from '../../shared/notifications';
import type { Account } from '../auth/session';
import { actorOf, auditValue, recordAudit, SERVER_ACTOR, type AuditClient } from '../audit/record';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { orgTx } from '../store/docs';
import { bulletinEmail } from './emails';
import { recipientsIn } from './people';
import { nameOf, queueEmails } from './queue';

/** A security/privacy update or data-protection notice from an org admin to the topic's contacts (DESIGN §7). */
export async function sendBulletin(
  deps: AppDeps,
  orgId: string,
  input: { topic: BulletinTopic; subject: string; body: string },
  by?: { account: Account; client?: AuditClient },
): Promise<{ id: string; recipients: number }> {
  const id = newId();
  return orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    const recipients = await recipientsIn(w.tx, orgId, input.topic);
    const org = await nameOf(w, 'organizations', orgId, 'your organization');
    const n = await queueEmails(w, input.topic, `${input.topic}:${id}`, recipients, () =>
      bulletinEmail({ url: publicUrl(deps.config), orgId }, { ...input, org }),
    );
    await recordAudit(w, {
      kind: 'create',
      actor: by ? actorOf(by.account) : SERVER_ACTOR,
      collection: 'notifications',
      changes: [
        { field: 'topic', after: auditValue(input.topic) },
        { field: 'subject', after: auditValue(input.subject) },
      ],
      summary: `Sent “${input.subject}” (${TOPIC_NAMES[input.topic]}) to ${n} contact${n === 1 ? '' : 's'}`,
      ...(by?.client ? { client: by.client } : {}),
    });
    return { id, recipients: n };
  });
}
