import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ParsedMessage {
  /** Envelope recipients, lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  /** The parts sent as attachments (Content-Disposition: attachment), decoded. */
  attachments: MailFile[];
  raw: string;
}

export interface MailFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SmtpCapture {
  url: string;
  port: number;
  messages: ParsedMessage[];
  waitFor(predicate: (msgs: ParsedMessage[]) => boolean, timeoutMs?: number): Promise<ParsedMessage[]>;
  /** Down = nothing listens on the port (connection refused); up = listening again on the same port. */
  setDown(down: boolean): Promise<void>;
  /** Answers 550 to RCPT TO for this address from now on. */
  refuse(address: string): void;
  /** Takes mail for this address again (undoes refuse). */
  accept(address: string): void;
  close(): Promise<void>;
}

type Part = { headers: Record<string, string>; body: string };

function splitHeaders(raw: string): Part {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  // Folded header lines continue with whitespace.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body };
}

function decodeQp(s: string): Buffer {
  const joined = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const m = joined[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(joined.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeBytes(part: Part): Buffer {
  const enc = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (enc === 'quoted-printable') return decodeQp(part.body);
  return Buffer.from(part.body, 'utf8');
}

const decodeBody = (part: Part): string => decodeBytes(part).toString('utf8');

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes non-ASCII subjects. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _cs, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQp(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

function leaves(part: Part): Part[] {
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  const chunks = part.body.split(`--${boundary}`).slice(1);
  const out: Part[] = [];
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    out.push(...leaves(splitHeaders(chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, ''))));
  }
  return out;
}

/** A minimal MIME reader: enough for what nodemailer writes (text + html alternatives, attachments). */
export function parseMail(raw: string, envelopeTo: string[]): ParsedMessage {
  const top = splitHeaders(raw);
  let text = '';
  let html = '';
  const attachments: MailFile[] = [];
  for (const leaf of leaves(top)) {
    const type = (leaf.headers['content-type'] ?? 'text/plain').toLowerCase();
    const disposition = leaf.headers['content-disposition'] ?? '';
    if (/^attachment/i.test(disposition)) {
      const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? '';
      attachments.push({ filename: decodeWords(filename), contentType: type.split(';')[0].trim(), content: decodeBytes(leaf) });
    } else if (type.startsWith('text/html') && !html) html = decodeBody(leaf);
    else if (type.startsWith('text/plain') && !text) text = decodeBody(leaf);
  }
  return {
    to: envelopeTo,
    from: decodeWords(top.headers['from'] ?? ''),
    subject: decodeWords(top.headers['subject'] ?? ''),
    text,
    html,
    messageId: top.headers['message-id'] ?? '',
    headers: top.headers,
    attachments,
    raw,
  };
}

/** A real SMTP server on a free local port that keeps every message it accepts. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: ParsedMessage[] = [];
  const refused = new Set<string>();
  const waiters = new Set<() => void>();
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (refused.has(address.address.toLowerCase())) {
        const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), to));
        for (const w of waiters) w();
        cb();
      });
    },
  };

  let server: SMTPServer | null = null;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = new SMTPServer(options);
      s.on('error', () => {});
      server = s;
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.server.address() as AddressInfo).port));
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
    });

  const port = await listen(0);
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(messages)) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP capture: condition not met within ${timeoutMs} ms (${messages.length} messages)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async setDown(down) {
      if (down) await shut();
      else if (!server) await listen(port);
    },
    refuse(address) {
      refused.add(address.toLowerCase());
    },
    accept(address) {
      refused.delete(address.toLowerCase());
    },
    close: shut,
  };
}
