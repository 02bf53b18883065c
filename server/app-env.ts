import type { Logger } from 'pino';
import type { Store } from './store/open-store';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Mailer } from './mail/mailer';
import type { OutboxSignal } from './mail/wake';
import type { AccountRow as Account } from './store/accounts';
import type { Principal } from './auth/principal';
import type { Hub } from './sync/hub';
import type { SessionWatch, WatchedSession } from './sync/session-watch';
import type { Limits } from './security/limits';
import type { OneAtATime } from './orgs/one-at-a-time';
import type { TicketKeys } from './activation/keys';

/** What the app is built from (tests pass their own), and the per-app instances createApp makes. */
export interface AppDeps {
  store: Store;
  mailer: Mailer;
  clock: Clock;
  config: Config;
  logger: Logger;
  hub: Hub;
  /** Ends live connections with their session (issue 13). */
  sessions: SessionWatch;
  limits: Limits;
  /** Wakes this process's outbox workers after mail was queued outside an organization (sign-in). */
  outbox: OutboxSignal;
  /** Organizations are created one at a time (first run: server/orgs/first-run.ts). */
  orgCreation: OneAtATime;
  /** The keys activation tickets are signed with (DESIGN §14). */
  ticketKeys: TicketKeys;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    account: Account | null;
    /** The session the request came with (null: none, or ended). */
    session: WatchedSession | null;
    /** Set by requirePrincipal (server/auth/middleware.ts) on the routes that act for a signed-in person. */
    principal: Principal;
  };
};
