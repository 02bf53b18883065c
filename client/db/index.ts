export { openDatabase, type AllotDatabase, type AllotCollections, type OpenDatabaseOptions } from './database';
export { startSync, type SyncHandle, type SyncOptions, type AllotReplication } from './replication';
export type { SyncStatus } from './status';
export { dismissNotice, openNotices, type Notice } from './notices';
export { keptWhere, liveList, liveListWithState, liveOne, type ListQuery, type OneQuery } from './live';
export { databaseNameFor, indexedDbHas, legacyDatabaseNameFor, noteLegacyOwner, resolveDatabaseName, type LegacyProbe } from './database-names';
