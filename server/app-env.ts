import type { Logger } from 'pino';
import type { Store } from './store/open-store';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Mailer } from './mail/mailer';
import type { Account } from './auth/session';
import type { Hub } from './sync/hub';
import type { Limits } from './security/limits';

/** What the app is built from; tests pass their own. */
export interface AppDeps {
  store: Store;
  mailer: Mailer;
  clock: Clock;
  config: Config;
  logger: Logger;
  hub: Hub;
  limits: Limits;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    account: Account | null;
  };
};
