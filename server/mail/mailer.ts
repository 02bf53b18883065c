import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
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

export function logMailer(logger: Logger): Mailer {
  return {
    kind: 'log',
    async send(msg) {
      // The links get their own field so an operator finds the sign-in link without reading the body.
      const links = [...new Set(msg.text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
      logger.info({ to: msg.to, subject: msg.subject, links }, `Email (no SMTP_URL set, not sent):\n${msg.text}`);
    },
    close: () => {},
  };
}
