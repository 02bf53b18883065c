import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, LOCAL_MIGRATIONS, LOCAL_SCHEMA_VERSION, rxSchemaOf, SCHEMA_VERSION } from './index';

/**
 * The local databases of people who already use Allot hold documents of the schemas they were
 * made with. A changed RxDB schema under the same version fails to open them (RxDB DB6), so
 * every change of the RxDB schemas (shapes or indexes) must come with a new LOCAL_SCHEMA_VERSION
 * and its migration; a change of shape also with a new SCHEMA_VERSION (older clients are told
 * to reload). The fingerprints of released schemas are kept in rx-schema-history.json: `local`
 * per local version (the whole RxDB schemas), `wire` per wire version (the shapes alone).
 */
const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const localFingerprint = () => sha256(COLLECTION_NAMES.map((c) => rxSchemaOf(c)));
const wireFingerprint = () =>
  sha256(
    COLLECTION_NAMES.map((c) => {
      const { version: _version, indexes: _indexes, ...shape } = rxSchemaOf(c);
      return shape;
    }),
  );

type History = { local: Record<string, string>; wire: Record<string, string> };
const history = () => JSON.parse(readFileSync(new URL('./rx-schema-history.json', import.meta.url), 'utf8')) as History;

describe('local schema versions', () => {
  it('the RxDB schemas change only with LOCAL_SCHEMA_VERSION (bump it, add a migration, record the new fingerprint)', () => {
    const { local } = history();
    expect(local[String(LOCAL_SCHEMA_VERSION)], `no fingerprint recorded for LOCAL_SCHEMA_VERSION ${LOCAL_SCHEMA_VERSION}: add "${LOCAL_SCHEMA_VERSION}": "${localFingerprint()}"`).toBeDefined();
    expect(localFingerprint(), 'the RxDB schemas changed: bump LOCAL_SCHEMA_VERSION, add its migration and record the new fingerprint').toBe(
      local[String(LOCAL_SCHEMA_VERSION)],
    );
  });

  it('the documents’ shapes change only with SCHEMA_VERSION (bump it too, and record the new fingerprint)', () => {
    const { wire } = history();
    expect(wire[String(SCHEMA_VERSION)], `no fingerprint recorded for SCHEMA_VERSION ${SCHEMA_VERSION}: add "${SCHEMA_VERSION}": "${wireFingerprint()}"`).toBeDefined();
    expect(wireFingerprint(), 'the documents’ shapes changed: bump SCHEMA_VERSION and record the new fingerprint').toBe(wire[String(SCHEMA_VERSION)]);
  });

  it('have a migration for every version after the first, and every wire version its own local version', () => {
    expect(Object.keys(LOCAL_MIGRATIONS).map(Number)).toEqual(Array.from({ length: LOCAL_SCHEMA_VERSION }, (_, i) => i + 1));
    for (const c of COLLECTION_NAMES) expect(rxSchemaOf(c).version).toBe(LOCAL_SCHEMA_VERSION);
    expect(LOCAL_SCHEMA_VERSION).toBeGreaterThanOrEqual(SCHEMA_VERSION - 1);
  });
});
