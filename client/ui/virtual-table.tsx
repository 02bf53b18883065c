/**
 * A table of any length: only the rows in view are in the DOM (10,000 contacts scroll
 * smoothly). It keeps table semantics for screen readers through ARIA roles and row
 * indexes, since the DOM holds only a window of the rows.
 */
import { createVirtualizer, observeElementRect } from '@tanstack/solid-virtual';
import { createEffect, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js';

/** Phone width: rows become cards (issue 16 §5), each cell a line with its column's name. */
const CARDS_QUERY = '(max-width: 640px)';
/** A card's title line (two lines of text), each further line, and the padding (px): its height follows its column count. */
const CARD_TITLE = 44;
const CARD_LINE = 30;
const CARD_PADDING = 20;

/** True while the screen is phone-width; follows rotation and resizing. */
function phoneWidth(): () => boolean {
  if (typeof matchMedia !== 'function') return () => false;
  const query = matchMedia(CARDS_QUERY);
  const [narrow, setNarrow] = createSignal(query.matches);
  const change = (e: MediaQueryListEvent) => setNarrow(e.matches);
  query.addEventListener('change', change);
  onCleanup(() => query.removeEventListener('change', change));
  return narrow;
}

/**
 * Widths of a column of dates ("Dec 31, 2026") and of dates with a time ("Dec 31, 2026, 11:59 PM"),
 * as ui/format.ts writes them, with the cell's padding: a shorter track cut the year or the time off.
 */
export const DATE_COLUMN = '9rem';
export const DATE_TIME_COLUMN = '12rem';

/**
 * A cell's text cut by its column (it ends in …) gets its whole text as a title when the pointer
 * reaches it: every table, every column, without each cell naming itself. The element that cuts
 * it may be the one pointed at or one around it (a link inside a line that ends in …), up to the
 * cell; a title already there (the element's own, or one around it) is kept.
 */
export function titleWhenCut(e: Event): void {
  for (let el = e.target instanceof HTMLElement ? e.target : null; el; el = el.parentElement) {
    if (el.title) return;
    if (el.scrollWidth > el.clientWidth) {
      el.title = (el.textContent ?? '').trim();
      return;
    }
    if (el.classList.contains('vtable-cell')) return;
  }
}

export interface Column<T> {
  header: string;
  cell: (row: T) => JSX.Element;
  /** A CSS grid track, e.g. "2fr" or "8rem". */
  width?: string;
  /** Hidden on phone-width screens (the header stays for screen readers). */
  optional?: boolean;
}

export function VirtualTable<T>(props: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowHeight?: number;
  /** Height of the scrolling area; tables grow until this, then scroll. */
  maxHeight?: number;
  empty?: string;
}) {
  let scroller: HTMLDivElement | undefined;
  const cards = phoneWidth();
  const shownColumns = () => props.columns.filter((c) => !c.optional).length;
  const rowHeight = () => (cards() ? CARD_PADDING + CARD_TITLE + CARD_LINE * (shownColumns() - 1) : (props.rowHeight ?? 52));
  const virtualizer = createVirtualizer<HTMLDivElement, HTMLDivElement>({
    get count() {
      return props.rows.length;
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => rowHeight(),
    overscan: 10,
    // A detached or unlaid-out scroller (tests, a hidden tab) measures 0: assume a screenful.
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (r) => cb(r.height > 0 ? r : { width: r.width || 1024, height: 720 })),
  });
  // Switching between rows and cards changes every row's height.
  createEffect(on(cards, () => virtualizer.measure(), { defer: true }));
  const template = () => props.columns.map((c) => c.width ?? '1fr').join(' ');
  const narrowTemplate = () =>
    props.columns
      .filter((c) => !c.optional)
      .map((c) => c.width ?? '1fr')
      .join(' ');
  const height = () => Math.min(props.maxHeight ?? 560, Math.max(props.rows.length, 1) * rowHeight());

  return (
    <div
      class="vtable"
      classList={{ 'vtable-cards': cards() }}
      role="table"
      aria-label={props.label}
      // Narrow screens scroll a wide table sideways: the keyboard must reach it too (WCAG 2.1.1).
      tabindex="0"
      aria-rowcount={props.rows.length + 1}
      style={{ '--vtable-cols': template(), '--vtable-cols-narrow': narrowTemplate() }}
      onPointerOver={titleWhenCut}
    >
      <div role="rowgroup" class="vtable-head">
        <div role="row" aria-rowindex={1} class="vtable-row vtable-header-row">
          <For each={props.columns}>
            {(c) => (
              <div role="columnheader" class="vtable-cell" classList={{ 'col-optional': !!c.optional }}>
                {c.header}
              </div>
            )}
          </For>
        </div>
      </div>
      <Show when={props.rows.length === 0}>
        <div role="rowgroup">
          <div role="row" class="vtable-empty">
            <div role="cell">{props.empty ?? 'Nothing here yet.'}</div>
          </div>
        </div>
      </Show>
      {/* Always in the DOM: the virtualizer binds to this element once, when it mounts. */}
      <div
        ref={scroller}
        class="vtable-body"
        role="rowgroup"
        style={{ height: `${props.rows.length ? height() : 0}px` }}
      >
        <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
          <For each={virtualizer.getVirtualItems()}>
            {(item) => {
              const row = () => props.rows[item.index];
              return (
                <Show when={row()}>
                  {(r) => (
                    <div
                      role="row"
                      aria-rowindex={item.index + 2}
                      class="vtable-row"
                      classList={{ 'vtable-row-odd': item.index % 2 === 1 }}
                      style={{ height: `${item.size}px`, transform: `translateY(${item.start}px)` }}
                    >
                      <For each={props.columns}>
                        {(c) => (
                          <div role="cell" class="vtable-cell" data-label={c.header} classList={{ 'col-optional': !!c.optional }}>
                            {c.cell(r())}
                          </div>
                        )}
                      </For>
                    </div>
                  )}
                </Show>
              );
            }}
          </For>
        </div>
      </div>
    </div>
  );
}
