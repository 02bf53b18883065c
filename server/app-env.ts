import type { Logger } from 'pino';
import type { Store } from './store/open-store';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Mailer } from './mail/mailer';
import type { OutboxSignal } from './mail/wake';
import type { AccountRow as Account } from './store/accounts';
import type { Hub } from './sync/hub';
import type { Limits } from './security/limits';

/** What the app is built from (tests pass their own), and the per-app instances createApp makes. */
export interface AppDeps {
  store: Store;
  mailer: Mailer;
  clock: Clock;
  config: Config;
  logger: Logger;
  hub: Hub;
  limits: Limits;
  /** Wakes this process's outbox workers after mail was queued outside an organization (sign-in). */
  outbox: OutboxSignal;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    account: Account | null;
  };
};
