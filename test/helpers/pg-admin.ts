import pg from 'pg';
import { PG_URL } from './pg';

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
  // The pids are chosen first and terminated one by one: in one statement PostgreSQL may call
  // pg_terminate_backend on rows before the filter has dropped them (it orders the conditions
  // as it likes), ending connections that are none of the test's business.
  async function terminatePids(pids: number[]): Promise<number> {
    let n = 0;
    for (const pid of pids) {
      const r = await client.query('select pg_terminate_backend($1) as done', [pid]);
      if (r.rows[0].done) n++;
    }
    return n;
  }
  return {
    client,
    /** Terminates the server connections whose application_name is one of `names`; returns how many. */
    async terminate(names: string[]): Promise<number> {
      const r = await client.query(
        'select pid from pg_stat_activity where application_name = any($1) and pid <> pg_backend_pid()',
        [names],
      );
      return terminatePids(r.rows.map((row: { pid: number }) => row.pid));
    },
    /** Terminates every other connection to database `name`; returns how many. */
    async terminateDatabase(name: string): Promise<number> {
      const r = await client.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
      return terminatePids(r.rows.map((row: { pid: number }) => row.pid));
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
