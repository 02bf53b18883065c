import * as v from 'valibot';

const int = (def: number, min: number, max: number) =>
  v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max)),
    String(def),
  );

const url = (protocols: string[]) =>
  v.optional(
    v.pipe(
      v.string(),
      v.url('must be a URL'),
      v.check((s) => protocols.some((p) => s.startsWith(p)), `must start with ${protocols.join(' or ')}`),
    ),
  );

export const configSchema = v.object({
  PORT: int(8080, 0, 65535),
  PUBLIC_URL: url(['http://', 'https://']),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  DATABASE_URL: url(['postgres://', 'postgresql://']),
  SMTP_URL: url(['smtp://', 'smtps://']),
  MAIL_FROM: v.optional(v.pipe(v.string(), v.minLength(3)), 'Allot <allot@localhost>'),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  CATALOG: v.optional(v.pipe(v.string(), v.minLength(1))),
  SIGNIN_RATE: int(10, 1, 100_000),
  CLAIM_RATE: int(30, 1, 100_000),
  /** The most seats (licenses, over all its lines) one order may hold: a bigger one is refused at push. */
  MAX_ORDER_SEATS: int(10_000, 1, 100_000),
  /** Requests per client address and minute to the routes anyone may call without signing in (first run, invitation pages). */
  PUBLIC_RATE: int(60, 1, 100_000),
  /** How long an email is retried through temporary failures (SMTP down, 4xx, refused login), in hours. */
  MAIL_RETRY_HOURS: int(72, 1, 24 * 30),
  /**
   * The Ed25519 key tickets are signed with (DESIGN §14): a private JWK (JSON) or a PKCS #8
   * PEM. Unset: a key made at first start and kept in the store.
   */
  TICKET_SIGNING_KEY: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(10_000))),
  /** How long a ticket lets a product run offline (its `exp`), in days. */
  TICKET_DAYS: int(7, 1, 365),
  TRUST_PROXY: v.optional(
    v.pipe(v.picklist(['', '0', '1', 'true', 'false']), v.transform((s) => s === '1' || s === 'true')),
    '',
  ),
});
export type Config = v.InferOutput<typeof configSchema>;

/** Parses the environment; every bad value is named with what it must be. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(
    Object.keys(configSchema.entries)
      .map((k) => [k, env[k] === '' && k !== 'TRUST_PROXY' ? undefined : env[k]])
      .filter(([, val]) => val !== undefined),
  );
  const r = v.safeParse(configSchema, picked);
  if (!r.success) {
    const lines = r.issues.map((i) => `  ${v.getDotPath(i) ?? '?'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return r.output;
}

export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
}
