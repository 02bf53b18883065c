import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import type { Store } from './store/open-store';
import { CATALOG_ORG, orgTx, pullDocs } from './store/docs';

export interface CatalogEntry {
  code: string;
  name: string;
}

/** Used when the operator names no CATALOG file. */
export const DEFAULT_CATALOG: CatalogEntry[] = [
  { code: 'ide-ultimate', name: 'IDE Ultimate' },
  { code: 'code-review', name: 'Code Review' },
  { code: 'profiler', name: 'Profiler' },
];

const catalogSchema = v.pipe(
  v.array(
    v.object({
      code: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'codes are 1–32 letters, digits, - or _')),
      name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
    }),
  ),
  v.minLength(1, 'the catalog lists at least one product'),
  v.check((list) => new Set(list.map((p) => p.code)).size === list.length, 'product codes must be unique'),
);

/** Stable across restarts and servers, so licenses keep pointing at their product. */
export const productId = (code: string): string => `product-${code}`;

/** The catalog from the CATALOG file (JSON `[{code, name}]`), or the built-in one. */
export function loadCatalog(path: string | undefined): CatalogEntry[] {
  if (!path) return DEFAULT_CATALOG;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`CATALOG: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const r = v.safeParse(catalogSchema, json);
  if (!r.success) {
    throw new Error(`CATALOG: ${path} is not a product list:\n${r.issues.map((i) => `  ${v.getDotPath(i) ?? ''}: ${i.message}`).join('\n')}`);
  }
  return r.output;
}

/** Writes the products that are new or renamed; an unchanged catalog writes nothing (no sync traffic). */
export async function syncCatalog(store: Store, catalog: CatalogEntry[], now: Date): Promise<number> {
  const existing = new Map<string, { code: string; name: string; _deleted: boolean }>();
  for (let since = 0; ; ) {
    const { docs, lastSeq } = await pullDocs(store.db, CATALOG_ORG, 'products', since, 1000);
    for (const d of docs) existing.set(d.id, d);
    if (docs.length < 1000) break;
    since = lastSeq;
  }
  const changed = catalog.filter((p) => {
    const cur = existing.get(productId(p.code));
    return !cur || cur._deleted || cur.code !== p.code || cur.name !== p.name;
  });
  if (!changed.length) return 0;
  await orgTx(store, CATALOG_ORG, now, async (w) => {
    for (const p of changed) await w.put('products', { id: productId(p.code), code: p.code, name: p.name, _deleted: false });
  });
  return changed.length;
}
