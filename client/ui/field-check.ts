/**
 * Form fields checked with the shared valibot schemas (shared/schemas), the same ones the
 * server applies to the same fields, so what a form accepts offline the server accepts
 * when it syncs, and a rule changed in shared/ changes every form with it.
 */
import * as v from 'valibot';

export type FieldCheck<T> = { ok: true; value: T } | { ok: false; words: string };

/**
 * Parses `value` with `schema`. Answers the schema's output (trimmed, lower-cased… as the
 * schema says: store that, not the raw input) or the words to show: `words`, the field's own
 * sentence ("Enter a valid email address."), with the limit added when the value is only
 * too long or too large ("… (at most 254 characters).").
 */
export function checkField<S extends v.GenericSchema>(schema: S, value: unknown, words: string): FieldCheck<v.InferOutput<S>> {
  const r = v.safeParse(schema, value);
  if (r.success) return { ok: true, value: r.output };
  const limit = r.issues.find((i) => i.type === 'max_length' || i.type === 'max_value');
  if (!limit || typeof limit.requirement !== 'number') return { ok: false, words };
  const n = limit.requirement.toLocaleString('en');
  const hint = limit.type === 'max_length' && typeof limit.input === 'string' ? `at most ${n} characters` : `at most ${n}`;
  return { ok: false, words: `${words.replace(/\.$/, '')} (${hint}).` };
}
