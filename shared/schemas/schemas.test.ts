import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, LOCAL_MIGRATIONS, LOCAL_SCHEMA_VERSION, rxSchemaOf, SCHEMA_VERSION } from './index';

/**
 * The local databases of people who already use Allot hold documents of the schemas they were
 * made with. A changed RxDB schema under the same version fails to open them (RxDB DB6), so
 * every shape change must come with a new SCHEMA_VERSION and its migration. The fingerprints of
 * released shapes are kept in rx-schema-history.json.
 */
const fingerprint = () =>
  createHash('sha256')
    .update(JSON.stringify(COLLECTION_NAMES.map((c) => rxSchemaOf(c))))
    .digest('hex');

describe('local schema versions', () => {
  it('change only with SCHEMA_VERSION (bump it, add a migration, record the new fingerprint)', () => {
    const history = JSON.parse(readFileSync(new URL('./rx-schema-history.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(history[String(SCHEMA_VERSION)], `no fingerprint recorded for SCHEMA_VERSION ${SCHEMA_VERSION}: add "${SCHEMA_VERSION}": "${fingerprint()}"`).toBeDefined();
    expect(fingerprint(), 'the RxDB schemas changed: bump SCHEMA_VERSION, add its migration and record the new fingerprint').toBe(
      history[String(SCHEMA_VERSION)],
    );
  });

  it('have a migration for every version after the first', () => {
    expect(Object.keys(LOCAL_MIGRATIONS).map(Number)).toEqual(Array.from({ length: LOCAL_SCHEMA_VERSION }, (_, i) => i + 1));
    for (const c of COLLECTION_NAMES) expect(rxSchemaOf(c).version).toBe(LOCAL_SCHEMA_VERSION);
  });
});
