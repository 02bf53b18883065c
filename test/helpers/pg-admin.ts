import pg from 'pg';
import { PG_URL } from './server';

/**
 * A connection of the test's own (application_name `allot-test-admin`) for what an operator or
 * a failing network does to the server's connections: terminate them, lock tables. It only ever
 * touches connections named for the test's schema (`allot:<schema>`, `allot-listen:<schema>`)
 * or of the test's own database.
 */
export async function pgAdmin(url = PG_URL!) {
  const client = new pg.Client({ connectionString: url, application_name: 'allot-test-admin' });
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    /** Terminates the server connections whose application_name is one of `names`; returns how many. */
    async terminate(names: string[]): Promise<number> {
      const r = await client.query(
        'select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = any($1) and pid <> pg_backend_pid()',
        [names],
      );
      return Number(r.rows[0].n);
    },
    /** Terminates every other connection to database `name`; returns how many. */
    async terminateDatabase(name: string): Promise<number> {
      const r = await client.query(
        'select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      return Number(r.rows[0].n);
    },
    /** Server connections named `name` waiting on a lock. */
    async waitingOnLock(name: string): Promise<number[]> {
      const r = await client.query(
        "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
        [name],
      );
      return r.rows.map((row: { pid: number }) => row.pid);
    },
    end: () => client.end().catch(() => {}),
  };
}
