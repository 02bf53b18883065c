import { sameValue } from '../../shared/equality';

/**
 * `next` with each entry that equals (deep JSON equality, shared/equality.ts) the entry of
 * `before` with the same key replaced by that earlier object. Live answers (/api/me and the
 * licenses over /api/me/stream) arrive whole and parsed anew; keeping the unchanged entries
 * the same objects lets Solid's `<For>` keep their rows, so an open menu, a focused item or
 * a confirmation opened from a row survives an update that did not touch it.
 *
 * `before` may be undefined (nothing shown yet); keys are compared with `===`.
 */
export function keepUnchanged<T>(before: readonly T[] | undefined, next: readonly T[], key: (item: T) => string): T[] {
  if (!before?.length) return [...next];
  const earlier = new Map(before.map((b) => [key(b), b]));
  return next.map((n) => {
    const b = earlier.get(key(n));
    return b !== undefined && sameValue(b, n) ? b : n;
  });
}
