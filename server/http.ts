import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONValue } from 'hono/utils/types';
import { HTTPException } from 'hono/http-exception';
import { vValidator } from '@hono/valibot-validator';
import * as v from 'valibot';
import type { GenericSchema } from 'valibot';
import { jsonValueProblem } from '../shared/text';
import { ERROR_STATUS, type ErrorCode } from '../shared/errors';
import { isConnectionLost } from './store/connection-errors';

/** The one place that turns an error code into an HTTP answer. */
export function apiError(c: Context, code: ErrorCode, message: string, details?: unknown) {
  const status: ContentfulStatusCode = ERROR_STATUS[code];
  return c.json(details === undefined ? { error: code, message } : { error: code, message, details }, status);
}

/** Answers a domain Result: the value as JSON, or its error code. */
export function answer<T extends JSONValue | object>(
  c: Context,
  r: { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; details?: unknown },
  status: ContentfulStatusCode = 200,
) {
  return r.ok ? c.json(r.value, status) : apiError(c, r.code, r.message, r.details);
}

/**
 * A JSON body passes the rule of shared/text.ts before its schema: nested at most
 * MAX_JSON_DEPTH levels, every string (keys included) well-formed Unicode without NUL. So no
 * such value reaches a handler, the database (PostgreSQL refuses NUL in text) or a recursive
 * walk of a document (equality, JSON.stringify) that a deep nesting would overflow.
 */
function bodyRule<S extends GenericSchema>(schema: S) {
  return v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = dataset.typed ? jsonValueProblem(dataset.value) : null;
      if (problem) addIssue({ message: problem });
    }),
    schema,
  ) as unknown as S;
}

/**
 * Body, query or param validation through the shared valibot schemas, failing with
 * `invalid-body`; a JSON body is first held to the text and depth rule (bodyRule).
 */
export const validate = <S extends GenericSchema, T extends 'json' | 'query' | 'param'>(target: T, schema: S) =>
  vValidator(target, target === 'json' ? bodyRule(schema) : schema, (result, c) => {
    if (!result.success) {
      const issues = result.issues.slice(0, 10).map((i) => ({
        path: i.path?.map((p) => String(p.key)).join('.') ?? '',
        message: i.message,
      }));
      return apiError(c, 'invalid-body', issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
    }
  });

/** Maps errors thrown below a handler (malformed JSON, body limits) to coded answers; anything else is a bug. */
export function errorAnswer(err: Error, c: Context, log: (err: Error) => void) {
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return apiError(c, 'payload-too-large', 'The request body is too large');
    if (status === 400 && /json/i.test(err.message)) return apiError(c, 'invalid-json', 'The request body is not valid JSON');
    if (status === 401) return apiError(c, 'unauthenticated', 'Sign in first');
    if (status === 403) return apiError(c, 'origin-not-allowed', 'This request came from another site');
    if (status < 500) return apiError(c, 'bad-request', err.message || 'Bad request');
  }
  // A database invariant (DESIGN §9) caught what no check foresaw: the transaction rolled
  // back whole, nothing was written.
  const dbCode = String((err as { code?: unknown }).code ?? '');
  if (dbCode === '23505' || dbCode.startsWith('SQLITE_CONSTRAINT')) {
    log(err);
    return apiError(c, 'constraint-violated', 'This change clashes with data already stored; nothing was saved');
  }
  // Also a lock not had in time (55P03 lock_not_available: lock_timeout, store/rate-counters.ts)
  // and PostgreSQL's lock table full for the moment (53200 out_of_shared_memory, "increase
  // max_locks_per_transaction"): the transaction rolled back, the next try may pass.
  if (
    ['40P01', '40001', '55P03', '53200'].includes(dbCode) ||
    dbCode.startsWith('SQLITE_BUSY') ||
    dbCode.startsWith('SQLITE_LOCKED')
  ) {
    log(err);
    return apiError(c, 'busy', 'The server was busy with a conflicting change; nothing was saved, try again');
  }
  // A value the database cannot hold (PostgreSQL class 22 "data exception": NUL in text, a
  // number out of range…; class 54 "program limit exceeded") got past the boundary checks: a
  // refusal of the input, logged because a check is missing. Nothing was written.
  if (/^(22|54)[0-9A-Z]{3}$/.test(dbCode)) {
    log(err);
    return apiError(c, 'bad-request', 'The request holds a value that cannot be stored');
  }
  // The database connection dropped (restart, failover, terminated): its transaction rolled back.
  if (isConnectionLost(err)) {
    log(err);
    return apiError(c, 'busy', 'The database connection was lost; nothing was saved, try again');
  }
  log(err);
  return apiError(c, 'internal', 'Something went wrong on the server');
}
