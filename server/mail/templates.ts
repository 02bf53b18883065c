/** Email bodies: every message has a plain-text and an HTML part saying the same thing. */

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

/** The sign-in email: a one-time link and the same sign-in as a 6-digit code. */
export function signInEmail(data: { url: string; code: string; minutes: number }): RenderedMail {
  return layoutEmail({
    subject: `Your Allot sign-in code: ${data.code}`,
    paragraphs: [
      `Use the link below to sign in to Allot, or type the code ${data.code} where you asked for it.`,
      `The link and the code work once and expire in ${data.minutes} minutes.`,
    ],
    code: data.code,
    link: { url: data.url, label: 'Sign in to Allot' },
    footer: 'If you did not ask to sign in, you can ignore this email: nobody can sign in without it.',
  });
}
