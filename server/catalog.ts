import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import type { Store } from './store/open-store';
import { CATALOG_ORG, orgTx, pullDocs } from './store/docs';

export interface CatalogEntry {
  code: string;
  name: string;
  /** At most this many machines per license (DESIGN §14); absent: 3. */
  machinesPerLicense?: number;
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
      machinesPerLicense: v.optional(v.pipe(v.number(), v.integer('machinesPerLicense is a whole number'), v.minValue(1), v.maxValue(1000))),
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
  const existing = new Map<string, { code: string; name: string; machinesPerLicense?: number; _deleted: boolean }>();
  for (let since = 0; ; ) {
    const { docs, lastSeq } = await pullDocs(store.db, CATALOG_ORG, 'products', since, 1000);
    for (const d of docs) existing.set(d.id, d);
    if (docs.length < 1000) break;
    since = lastSeq;
  }
  const changed = catalog.filter((p) => {
    const cur = existing.get(productId(p.code));
    return !cur || cur._deleted || cur.code !== p.code || cur.name !== p.name || cur.machinesPerLicense !== p.machinesPerLicense;
  });
  if (!changed.length) return 0;
  await orgTx(store, CATALOG_ORG, now, async (w) => {
    for (const p of changed) {
      const limit = p.machinesPerLicense === undefined ? {} : { machinesPerLicense: p.machinesPerLicense };
      await w.put('products', { id: productId(p.code), code: p.code, name: p.name, ...limit, _deleted: false });
    }
  });
  return changed.length;
}
