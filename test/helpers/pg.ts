/**
 * PostgreSQL in tests (DESIGN §12): its suites run when TEST_DATABASE_URL is set and say
 * plainly when they are skipped. Nothing here touches PostgreSQL while test files are
 * collected: suites open their databases in beforeAll.
 */

/** The PostgreSQL the suites use (CI: postgres://postgres@127.0.0.1:5432/test), or undefined. */
export const PG_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

const told = new Set<string>();

/**
 * For `describe.skipIf(skipWithoutPg(dialect, 'the sync suite'))`: true for the PostgreSQL run of
 * a suite when there is no TEST_DATABASE_URL, after saying so once.
 */
export function skipWithoutPg(dialect: 'sqlite' | 'postgres', what: string): boolean {
  if (dialect !== 'postgres' || PG_URL) return false;
  if (!told.has(what)) {
    told.add(what);
    console.warn(`TEST_DATABASE_URL is not set: ${what} on PostgreSQL is skipped`);
  }
  return true;
}

/** The URL of another database on the same PostgreSQL server (for a server process that needs a database of its own). */
export function pgDatabaseUrl(database: string): string {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
