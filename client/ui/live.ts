/**
 * RxDB queries as Solid signals. Screens get plain objects (the document's JSON), so
 * nothing in a component can write around the data modules.
 */
import { from, type Accessor } from 'solid-js';
import { map } from 'rxjs';
import type { RxDocument, RxQuery } from 'rxdb';

type AnyQuery<T> = RxQuery<T, RxDocument<T>[] | RxDocument<T>[] | any>;

export function liveList<T>(query: AnyQuery<T>): Accessor<T[]> {
  const docs = from(query.$.pipe(map((ds: RxDocument<T>[]) => ds.map((d) => d.toJSON() as T))));
  return () => docs() ?? [];
}

export function liveOne<T>(query: RxQuery<T, RxDocument<T> | null, any, any>): Accessor<T | null | undefined> {
  // undefined while loading, null when there is no such document.
  return from(query.$.pipe(map((d: RxDocument<T> | null) => (d ? (d.toJSON() as T) : null))));
}

/** A loaded-flag companion: lists render "Loading…" only until the first answer. */
export function liveListWithState<T>(query: AnyQuery<T>): { rows: Accessor<T[]>; loaded: Accessor<boolean> } {
  const docs = from(query.$.pipe(map((ds: RxDocument<T>[]) => ds.map((d) => d.toJSON() as T))));
  return { rows: () => docs() ?? [], loaded: () => docs() !== undefined };
}
