import type { Recipient } from '../../shared/notifications';
import { layoutEmail, oneLine, type RenderedMail } from '../mail/templates';

export interface EmailContent {
  subject: string;
  /** Plain sentences; escaped for the HTML part. */
  paragraphs: string[];
  /** An absolute link back into the app. */
  link: { url: string; label: string };
}

/** One notification email to one person, in both parts. */
export function renderEmail(to: Recipient, content: EmailContent): RenderedMail {
  return layoutEmail({ ...content, greeting: to.name ? `Hello ${oneLine(to.name)},` : 'Hello,' });
}
