import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

/** A file sent with an email (a PDF, a signed certificate). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments?: MailAttachment[];
}

/**
 * Where mail leaves. `held` means there is no SMTP server: the message was printed to
 * the log (links included) and stays in the outbox as held.
 */
export interface Mailer {
  kind: 'smtp' | 'log';
  send(msg: MailMessage): Promise<void>;
  close(): void;
}

export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    async send(msg) {
      await transport.sendMail({ ...msg, messageId: msg.messageId });
    },
    close: () => transport.close(),
  };
}

/**
 * Without SMTP the operator reads mail in the terminal: a JSON log line for machines (to,
 * subject, links) and, on `print` (stderr by default), a block a person reads — To, Subject,
 * and each link on its own line, so a sign-in link can be copied whole.
 */
export function logMailer(logger: Logger, print: (block: string) => void = (b) => process.stderr.write(b)): Mailer {
  return {
    kind: 'log',
    async send(msg) {
      const links = mailLinks(msg.text);
      const attachments = (msg.attachments ?? []).map((a) => a.filename);
      logger.info({ to: msg.to, subject: msg.subject, links, ...(attachments.length ? { attachments } : {}) }, 'Email held (no SMTP_URL set, not sent)');
      if (logger.isLevelEnabled('info')) print(readableMail(msg.to, msg.subject, links, attachments));
    },
    close: () => {},
  };
}

/** Every distinct http(s) link of a plain-text body, in order. */
export function mailLinks(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}

/** The terminal block for a held email: `To:`, `Subject:`, one `Link:` line per link, one `Attached:` line per file (not printed). */
export function readableMail(to: string, subject: string, links: string[], attachments: string[] = []): string {
  const lines = ['', '--- Email (not sent: no SMTP_URL set) ---', `To:      ${to}`, `Subject: ${subject}`];
  for (const link of links) lines.push(`Link:    ${link}`);
  for (const file of attachments) lines.push(`Attached: ${file}`);
  lines.push('---', '');
  return lines.join('\n');
}
