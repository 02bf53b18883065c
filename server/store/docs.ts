/**
 * The documents repository: every replicated document lives in the docs table (the document
 * as JSON plus the columns of shared/doc-fields.ts), its old states for readers who lost sight
 * of it in tombstones, and each organization's change counter in org_seq. Nothing outside
 * server/store/ queries those tables.
 *
 * - doc-columns.ts: the stored columns and rows (columnsOf, rowToDoc)
 * - docs-query.ts: find, exists, count, list
 * - doc-pull.ts: changes in seq order (pulls, live streams, tombstones)
 * - org-tx.ts: writing (orgTx and its OrgWriter)
 * - org-batch.ts: group commit (groupedOrgTx: waiting writers of one organization in one transaction)
 */
export { CATALOG_ORG, columnOf, columnsOf, rowOrg, rowToDoc } from './doc-columns';
export { countDocs, docExists, findDoc, findDoc as getDoc, firstDoc, listDocs, listDocsTogether, missingIds, orgsWith, type DocQuery, type ListPart, type Page } from './docs-query';
export { allCurrentSeqs, changesAfter, currentSeq, pullDocs, pullTombstones, type PullFilter, type Tombstone } from './doc-pull';
export { orgTx, plainTx, type OrgWriter } from './org-tx';
export { groupedOrgTx } from './org-batch';
