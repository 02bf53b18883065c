import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** The one migration set, run at start-up on SQLite and PostgreSQL alike. */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('docs')
        .addColumn('collection', 'varchar(40)', (c) => c.notNull())
        .addColumn('id', 'varchar(40)', (c) => c.notNull())
        .addColumn('org_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('team_id', 'varchar(40)')
        .addColumn('product_id', 'varchar(40)')
        .addColumn('order_id', 'varchar(40)')
        .addColumn('status', 'varchar(20)')
        .addColumn('token', 'varchar(64)')
        .addColumn('assignee_account_id', 'varchar(40)')
        .addColumn('invitation_id', 'varchar(40)')
        .addColumn('account_id', 'varchar(40)')
        .addColumn('email', 'varchar(254)')
        .addPrimaryKeyConstraint('docs_pk', ['collection', 'id'])
        .execute();
      await db.schema.createIndex('docs_pull').on('docs').columns(['org_id', 'collection', 'seq']).execute();
      await db.schema.createIndex('docs_tail').on('docs').columns(['org_id', 'seq']).execute();
      await db.schema
        .createIndex('docs_license_pool')
        .on('docs')
        .columns(['org_id', 'collection', 'team_id', 'product_id', 'status'])
        .execute();
      // Invariants the database keeps even if code were wrong.
      await db.schema
        .createIndex('docs_invitation_token')
        .on('docs')
        .column('token')
        .unique()
        .where(sql.ref('collection'), '=', 'invitations')
        .execute();
      await db.schema
        .createIndex('docs_one_license_per_person')
        .on('docs')
        .columns(['team_id', 'product_id', 'assignee_account_id'])
        .unique()
        .where(sql<boolean>`collection = 'licenses' and status = 'assigned' and deleted = 0`)
        .execute();
      await db.schema.createIndex('docs_account').on('docs').columns(['collection', 'account_id']).execute();
      await db.schema.createIndex('docs_email').on('docs').columns(['collection', 'email']).execute();
      await db.schema.createIndex('docs_assignee').on('docs').columns(['collection', 'assignee_account_id']).execute();

      await db.schema
        .createTable('tombstones')
        .addColumn('org_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('collection', 'varchar(40)', (c) => c.notNull())
        .addColumn('id', 'varchar(40)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('audience', 'varchar(100)', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tombstones_pull').on('tombstones').columns(['org_id', 'collection', 'audience', 'seq']).execute();

      await db.schema
        .createTable('org_seq')
        .addColumn('org_id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('accounts')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('email_verified_at', 'varchar(32)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('signin_tokens')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('email', 'varchar(254)', (c) => c.notNull())
        .addColumn('link_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('return_to', 'varchar(500)')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('used_at', 'varchar(32)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signin_tokens_email').on('signin_tokens').column('email').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('org_id', 'varchar(40)')
        .addColumn('dedupe_key', 'varchar(300)', (c) => c.notNull().unique())
        .addColumn('topic', 'varchar(40)', (c) => c.notNull())
        .addColumn('recipient', 'varchar(254)', (c) => c.notNull())
        .addColumn('subject', 'varchar(300)', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'varchar(32)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('notification_id', 'varchar(40)')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('org_id', 'varchar(40)')
        .addColumn('account_id', 'varchar(40)')
        .addColumn('action', 'varchar(60)', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  },
  '0002_license_pool_order': {
    // availableLicense filters on org, collection, team, product, status and deleted and pages
    // by id: with every filter an equality on the index's leading columns, the index yields the
    // rows already in id order, so no query plan walks the primary key over every license of
    // the database. It covers docs_license_pool's columns as a prefix, so that one goes.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('docs_license_pool_by_id')
        .on('docs')
        .columns(['org_id', 'collection', 'team_id', 'product_id', 'status', 'deleted', 'id'])
        .execute();
      await db.schema.dropIndex('docs_license_pool').execute();
    },
  },
  '0003_shared_rate_limits_and_mail_retry': {
    // Rate limits counted in the database, so several processes share them (DESIGN §9); and
    // the start of an email's retry window, which an admin's retry opens anew.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rate_limits')
        .addColumn('bucket', 'varchar(300)', (c) => c.notNull())
        .addColumn('window_index', 'integer', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_index'])
        .execute();
      await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_index').execute();
      await db.schema.alterTable('outbox').addColumn('retry_from', 'varchar(32)').execute();
    },
  },
  '0004_activation': {
    // DESIGN §14: device authorizations (RFC 8628), the grants they end in and their tokens
    // (every secret stored hashed), the machines licenses are activated on (server-only), and
    // the keys tickets are signed with.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('device_authorizations')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('device_code_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('user_code_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('product_code', 'varchar(40)', (c) => c.notNull())
        .addColumn('machine_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('account_id', 'varchar(40)')
        .addColumn('license_id', 'varchar(40)')
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('last_polled_at', 'varchar(32)')
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('device_authorizations_expiry').on('device_authorizations').column('expires_at').execute();

      await db.schema
        .createTable('oauth_grants')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('product_code', 'varchar(40)', (c) => c.notNull())
        .addColumn('org_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('license_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('team_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('machine_id', 'varchar(40)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('oauth_grants_machine').on('oauth_grants').column('machine_id').execute();
      await db.schema.createIndex('oauth_grants_account').on('oauth_grants').column('account_id').execute();

      await db.schema
        .createTable('oauth_tokens')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('grant_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('kind', 'varchar(10)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oauth_tokens_grant').on('oauth_tokens').column('grant_id').execute();

      await db.schema
        .createTable('machines')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('org_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('license_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('account_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('first_seen_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('deactivated_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('machines_license').on('machines').column('license_id').execute();
      await db.schema.createIndex('machines_account').on('machines').column('account_id').execute();
      await db.schema.createIndex('machines_org').on('machines').columns(['org_id', 'last_seen_at']).execute();

      await db.schema
        .createTable('ticket_keys')
        .addColumn('kid', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        // Null for a key given by TICKET_SIGNING_KEY: only its public half is kept, to publish it.
        .addColumn('private_jwk', 'text')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('retired_at', 'varchar(32)')
        .execute();
    },
  },
  '0005_outbox_attachments': {
    // DESIGN §7: an email's attachments (an order's license certificate, an invoice), named here
    // as JSON and rendered by the worker when it sends, from the documents of the organization.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('outbox').addColumn('attachments', 'text').execute();
    },
  },
  '0006_lighter_docs_indexes': {
    // Every index a row is in costs each write of it one more B-tree page (SQLite: one more
    // page in the log each commit syncs; measured on a claim, 7.3 pages of 4 KiB a claim).
    // - The lookups by address, account and assignee always name one (`email = ?`…): the rows
    //   without one (every available license, every audit event) need no entry. An index whose
    //   WHERE is `x is not null` serves `x = ?` on SQLite and PostgreSQL alike.
    // - The claim's pool (docs-query: status = 'available' written into the query's text) is
    //   the one lookup by status that needs an index: assigned licenses need no entry, and a
    //   claim now only removes one (it no longer also inserts one at a random place).
    async up(db: Kysely<unknown>) {
      for (const [name, column] of [
        ['docs_email', 'email'],
        ['docs_account', 'account_id'],
        ['docs_assignee', 'assignee_account_id'],
      ] as const) {
        await db.schema.dropIndex(name).execute();
        await db.schema.createIndex(name).on('docs').columns(['collection', column]).where(sql.ref(column), 'is not', null).execute();
      }
      await db.schema
        .createIndex('docs_available_licenses')
        .on('docs')
        .columns(['org_id', 'collection', 'team_id', 'product_id', 'deleted', 'id'])
        .where(sql.ref('status'), '=', sql.lit('available'))
        .execute();
      await db.schema.dropIndex('docs_license_pool_by_id').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
