// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualTable } from './virtual-table';

afterEach(cleanup);

/** jsdom lays nothing out: the widths a browser would measure, set by hand. */
function measured(el: HTMLElement, scrollWidth: number, clientWidth: number) {
  Object.defineProperty(el, 'scrollWidth', { configurable: true, value: scrollWidth });
  Object.defineProperty(el, 'clientWidth', { configurable: true, value: clientWidth });
}

describe('VirtualTable', () => {
  it('gives a cut cell text its whole text as a title when the pointer reaches it, and leaves whole or titled texts alone', () => {
    const rows = [{ id: '1', products: '10 × IDE Ultimate, 5 × Profiler, 3 × Database Tools', team: 'Platform', who: 'admin@northwind.test' }];
    render(() => (
      <VirtualTable
        label="Orders"
        rows={rows}
        columns={[
          { header: 'Products', cell: (r) => <span class="truncate">{r.products}</span> },
          { header: 'Team', cell: (r) => <span>{r.team}</span> },
          { header: 'Who', cell: (r) => <span title="Ada Admin">{r.who}</span> },
          { header: 'Division', cell: (r) => <span class="pending-line-text"><a href="/teams/1">{r.team} and Operations</a></span> },
        ]}
      />
    ));
    const products = screen.getByText(rows[0].products);
    const team = screen.getByText('Platform');
    const who = screen.getByText('admin@northwind.test');
    measured(products, 420, 180);
    measured(team, 60, 120);
    measured(who, 300, 100);
    // A link inside a line that is cut: the line, around the link, takes the title.
    const link = screen.getByRole('link', { name: 'Platform and Operations' });
    measured(link, 0, 0);
    measured(link.parentElement!, 200, 90);
    for (const el of [products, team, who, link]) fireEvent.pointerOver(el);
    expect(products.title).toBe(rows[0].products);
    expect(team.title).toBe('');
    expect(who.title).toBe('Ada Admin');
    expect(link.title).toBe('');
    expect(link.parentElement!.title).toBe('Platform and Operations');
  });
});
