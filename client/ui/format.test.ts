import { describe, expect, it } from 'vitest';
import { byName, nameOrder } from './format';

const row = (name: string, i: number) => ({ name, i });

describe('nameOrder', () => {
  it('sorts like a stable sort with byName, as names come, go and change', () => {
    const sort = nameOrder();
    const names = ['Contact 10', 'contact 9', 'Émile', 'emile', 'Zoë', 'zoe', 'Anna', 'anna', 'b', 'B', 'Contact 010', ''];
    let rows = Array.from({ length: 3000 }, (_, i) => row(`${names[i % names.length]} ${i % 1500}`, i));
    const check = () => expect(sort(rows)).toEqual([...rows].sort(byName));
    check(); // first load: all names at once
    rows = rows.map((r, i) => (i % 50 === 7 ? row(r.name, -r.i) : r));
    check(); // rows replaced, names kept: the last answer with the new rows in it
    rows = rows.map((r, i) => (i % 97 === 0 ? row(`Renamed ${i % 5}`, r.i) : r));
    check(); // a few new names, each placed by search
    rows = [...rows, row('anna 3', -1), row('ANNA 3', -2), row('Anna 3', -3)];
    check(); // names that collate equal keep the input's order
    rows = rows.slice(0, 10);
    check(); // most learnt names gone
    expect(sort([])).toEqual([]);
  });
});
