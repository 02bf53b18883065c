/** How an email looks: every message has a plain-text and an HTML part saying the same thing. */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface MailLayout {
  subject: string;
  greeting?: string;
  /** Plain sentences; escaped for the HTML part. */
  paragraphs: string[];
  /** An absolute link into the app. */
  link?: { url: string; label: string };
  /** A short code shown large (sign-in). */
  code?: string;
  /** Small print under the message. */
  footer?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);

/** Header values stay on one line whatever a user typed into a name or subject. */
export const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ').trim().slice(0, 300);

export function layoutEmail(m: MailLayout): RenderedMail {
  const greeting = m.greeting ?? 'Hello,';
  const text = [
    greeting,
    '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.code ? [`Code: ${m.code}`, ''] : []),
    ...(m.link ? [`${m.link.label}: ${m.link.url}`, ''] : []),
    ...(m.footer ? [m.footer, ''] : []),
    '— Allot',
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#222">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...m.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    ...(m.code
      ? [`<p style="font-size:1.6em;letter-spacing:0.2em;font-family:monospace"><strong>${escapeHtml(m.code)}</strong></p>`]
      : []),
    ...(m.link ? [`<p><a href="${escapeHtml(m.link.url)}">${escapeHtml(m.link.label)}</a></p>`] : []),
    ...(m.footer ? [`<p style="color:#666;font-size:0.9em">${escapeHtml(m.footer)}</p>`] : []),
    '<p style="color:#666">— Allot</p>',
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(m.subject), text, html };
}

/** What a notification says (server/notify/emails.ts), before it is laid out for one person. */
export interface EmailContent {
  subject: string;
  /** Plain sentences; escaped for the HTML part. */
  paragraphs: string[];
  /** An absolute link back into the app. */
  link: { url: string; label: string };
}

/** One notification email to one person, in both parts, greeting them by name. */
export function renderEmail(to: { name: string }, content: EmailContent): RenderedMail {
  return layoutEmail({ ...content, greeting: to.name ? `Hello ${oneLine(to.name)},` : 'Hello,' });
}
