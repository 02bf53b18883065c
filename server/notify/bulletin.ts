import { newId } from '../../shared/ids';
import type { BulletinTopic } from '../../shared/notifications';
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
): Promise<{ id: string; recipients: number }> {
  const id = newId();
  return orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    const recipients = await recipientsIn(w.tx, orgId, input.topic);
    const org = await nameOf(w, 'organizations', orgId, 'your organization');
    const n = await queueEmails(w, input.topic, `${input.topic}:${id}`, recipients, () =>
      bulletinEmail({ url: publicUrl(deps.config), orgId }, { ...input, org }),
    );
    return { id, recipients: n };
  });
}
