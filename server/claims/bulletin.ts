import { newId } from '../../shared/ids';
import { recipientsFor, TOPIC_NAMES, type BulletinTopic } from '../../shared/notifications';
import type { AppDeps } from '../app-env';
import { publicUrl } from '../config';
import { orgTx } from '../store/docs';
import { nameOf, orgPeople, queueEmails } from './notify';

/** A security/privacy update or data-protection notice from an org admin to the topic's contacts. */
export async function sendBulletin(
  deps: AppDeps,
  orgId: string,
  input: { topic: BulletinTopic; subject: string; body: string },
): Promise<{ id: string; recipients: number }> {
  const id = newId();
  return orgTx(deps.store, orgId, deps.clock.now(), async (w) => {
    const people = await orgPeople(w.tx, orgId, input.topic);
    const recipients = recipientsFor(input.topic, people);
    const org = await nameOf(w, 'organizations', orgId, 'your organization');
    const n = await queueEmails(w, input.topic, `${input.topic}:${id}`, recipients, () => ({
      subject: input.subject,
      paragraphs: [...input.body.split(/\n{2,}/), `You receive this as a ${TOPIC_NAMES[input.topic]} contact of ${org}.`],
      link: { url: `${publicUrl(deps.config)}/`, label: `Open ${org} in Allot` },
    }));
    return { id, recipients: n };
  });
}
