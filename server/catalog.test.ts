import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './store/open-store';
import { CATALOG_ORG, currentSeq, pullDocs } from './store/docs';
import { DEFAULT_CATALOG, loadCatalog, productId, syncCatalog } from './catalog';

describe('product catalog', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    store = await openStore({ sqliteFile: ':memory:' });
    dir = mkdtempSync(join(tmpdir(), 'allot-catalog-'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the built-in catalog and writes only what changed', async () => {
    expect(loadCatalog(undefined)).toBe(DEFAULT_CATALOG);
    expect(await syncCatalog(store, DEFAULT_CATALOG, new Date())).toBe(DEFAULT_CATALOG.length);
    const seq = await currentSeq(store.db, CATALOG_ORG);
    expect(await syncCatalog(store, DEFAULT_CATALOG, new Date())).toBe(0);
    expect(await currentSeq(store.db, CATALOG_ORG)).toBe(seq);

    const renamed = DEFAULT_CATALOG.map((p, i) => (i === 0 ? { ...p, name: 'IDE Ultimate 2' } : p));
    expect(await syncCatalog(store, renamed, new Date())).toBe(1);
    const { docs } = await pullDocs(store.db, CATALOG_ORG, 'products', 0, 100);
    expect(docs.find((d) => d.id === productId(DEFAULT_CATALOG[0].code))?.name).toBe('IDE Ultimate 2');
    expect(docs).toHaveLength(DEFAULT_CATALOG.length);
  });

  it('reads a CATALOG file and names what is wrong with a bad one', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify([{ code: 'rocket', name: 'Rocket IDE' }]));
    expect(loadCatalog(good)).toEqual([{ code: 'rocket', name: 'Rocket IDE' }]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ code: 'a b', name: '' }, { code: 'x', name: 'X' }, { code: 'x', name: 'Y' }]));
    expect(() => loadCatalog(bad)).toThrow(/CATALOG: .*bad\.json/);
    expect(() => loadCatalog(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});
