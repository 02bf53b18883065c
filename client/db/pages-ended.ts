/**
 * "A first sync's pages into this collection have all been written": said by the bulk first
 * sync (collection-replication.ts, once its last page is stored) and heard by the lists that
 * wait for a sync's pages to stop before they look again (live.ts calmDuringBulkWrites), so
 * they look at once instead of after their quiet period. Keyed by the RxDB collection object.
 */
import { Subject, type Observable } from 'rxjs';

const ended = new WeakMap<object, Subject<void>>();

function subjectOf(collection: object): Subject<void> {
  let s = ended.get(collection);
  if (!s) ended.set(collection, (s = new Subject<void>()));
  return s;
}

/** Emits each time a first sync's last page into `collection` has been stored. */
export const pagesEnded$ = (collection: object): Observable<void> => subjectOf(collection).asObservable();

/** Tells the lists of `collection` that a first sync's pages have all been stored. */
export function notePagesEnded(collection: object): void {
  ended.get(collection)?.next();
}
