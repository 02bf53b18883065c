/**
 * Text and JSON values at the boundary — the one rule for every string and every request
 * body, on the server and the client (issue: crafted input reached the database and a 500).
 *
 * A string is accepted when it is well-formed Unicode (no lone surrogate: UTF-16 code units
 * D800–DFFF only in pairs, so it has a UTF-8 form; WHATWG Infra "scalar value string") and
 * holds no NUL (U+0000, which PostgreSQL's text cannot store). A JSON body is accepted when it
 * nests at most MAX_JSON_DEPTH arrays and objects and every string in it, keys included,
 * follows the string rule.
 */

/** The deepest nesting of arrays and objects a request body may have (Allot's own bodies nest at most 5). */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` is well-formed Unicode without NUL (the string rule above). */
export function isCleanText(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

export const TEXT_MESSAGE = 'Text must be valid Unicode without NUL characters';

/** Why a parsed JSON value is refused (too deep, or a string breaking the rule), or null when it is accepted. */
export function jsonValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  // Iterative, so a value nested deeper than the stack is measured, not overflowed on.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node === 'string') {
      if (!isCleanText(node)) return TEXT_MESSAGE;
    } else if (node !== null && typeof node === 'object') {
      if (depth >= maxDepth) return `The body nests deeper than ${maxDepth} levels`;
      if (Array.isArray(node)) {
        for (const x of node) stack.push([x, depth + 1]);
      } else {
        for (const [k, x] of Object.entries(node)) {
          if (!isCleanText(k)) return TEXT_MESSAGE;
          stack.push([x, depth + 1]);
        }
      }
    }
  }
  return null;
}
