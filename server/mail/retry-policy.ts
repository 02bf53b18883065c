/**
 * When an email that could not be sent is tried again, and when it is given up (DESIGN §7:
 * "retries with backoff, marks them failed after a limit").
 *
 * A temporary failure — the SMTP server unreachable or timing out, a 4xx reply (RFC 5321
 * §4.2.1: "transient negative completion"), a refused login or sender (a configuration an
 * operator fixes) — is retried with capped exponential backoff until the retry window
 * (MAIL_RETRY_HOURS, 3 days by default) has passed since the message was queued. Only a
 * permanent refusal of this message — a 5xx reply to its recipient (RCPT TO) or to its content
 * (DATA) — fails it at once: trying again cannot change the answer.
 */
export interface RetryPolicy {
  /** The wait after the first failed attempt is 2·base; each next one doubles, in ms. */
  baseDelayMs: number;
  /** No wait is longer than this, in ms (10 minutes: mail flows soon after an outage ends). */
  maxDelayMs: number;
  /** Temporary failures are retried for this long after the message was queued, in ms. */
  windowMs: number;
}

export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 10 * 60_000;

export function retryPolicy(retryHours: number, over: Partial<RetryPolicy> = {}): RetryPolicy {
  return { baseDelayMs: DEFAULT_BASE_DELAY_MS, maxDelayMs: DEFAULT_MAX_DELAY_MS, windowMs: retryHours * 3_600_000, ...over };
}

/** The wait after failed attempt number `attempts` (1 for the first), in ms: base·2ⁿ, at most maxDelayMs. */
export function retryDelay(attempts: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.min(attempts, 40), policy.maxDelayMs);
}

/** A failure of this message that trying again cannot change (its attachment's document is gone). */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}

/** SMTP commands whose 5xx refusal concerns this message, not the server or its configuration. */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * True for a permanent refusal of this message: an SMTP 5xx reply to RCPT TO or DATA (nodemailer
 * reports `responseCode` and the `command` it answered). A 5xx to AUTH (a wrong password) or
 * MAIL FROM (a sender the server does not accept) is the operator's to fix, so it is temporary.
 */
export function isPermanentRefusal(err: unknown): boolean {
  if (err instanceof PermanentMailError) return true;
  const e = err as { responseCode?: unknown; command?: unknown; code?: unknown } | null;
  const status = Number(e?.responseCode);
  if (!Number.isFinite(status) || status < 500 || status > 599) return false;
  return MESSAGE_COMMANDS.has(String(e?.command ?? '')) || e?.code === 'EMESSAGE';
}

export type AfterFailure = { give: 'up' } | { give: 'another-try'; at: Date };

/**
 * What follows failed attempt number `attempts` of a message whose retry window opened at
 * `since`: given up (permanent refusal, or the window is over), or another try — never later
 * than the window's end, so the last try happens when the window closes.
 */
export function afterFailure(err: unknown, attempts: number, since: Date, now: Date, policy: RetryPolicy): AfterFailure {
  if (isPermanentRefusal(err)) return { give: 'up' };
  const end = since.getTime() + policy.windowMs;
  if (now.getTime() >= end) return { give: 'up' };
  return { give: 'another-try', at: new Date(Math.min(now.getTime() + retryDelay(attempts, policy), end)) };
}

/** The error as the notification log shows it: nodemailer's code and words, bounded. */
export function errorText(err: unknown): string {
  const e = err as { message?: string; code?: string } | null;
  const text = e?.message ?? String(err);
  return (e?.code && !text.includes(e.code) ? `${e.code}: ${text}` : text).slice(0, 2000);
}
