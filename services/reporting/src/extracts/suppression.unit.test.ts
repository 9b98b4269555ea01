import { type CountTable, suppressStatistic, suppressTable } from './suppression';

const table = (rows: [string, number][], partition = true): CountTable => ({
  id: 't',
  title: 'T',
  population: 'referrals',
  partition,
  total: partition ? rows.reduce((s, [, n]) => s + n, 0) : 100,
  rows: rows.map(([category, count]) => ({ category, count })),
});

const values = (t: ReturnType<typeof suppressTable>) => t.rows.map((r) => [r.category, r.count.value, r.count.flag]);

describe('suppression of small cells', () => {
  it('shows counts of 10 and more, and zeros', () => {
    const t = suppressTable(
      table([
        ['a', 10],
        ['b', 25],
        ['c', 0],
      ]),
    );
    expect(values(t)).toEqual([
      ['a', 10, null],
      ['b', 25, null],
      ['c', 0, null],
    ]);
    expect(t.total).toEqual({ value: 35, flag: null });
  });

  it('suppresses a count under 10 and, in a partition, the smallest other cell so the total does not reveal it', () => {
    const t = suppressTable(
      table([
        ['a', 30],
        ['b', 4],
        ['c', 12],
        ['d', 50],
      ]),
    );
    expect(values(t)).toEqual([
      ['a', 30, null],
      ['b', null, 'suppressed'],
      ['c', null, 'secondary-suppressed'],
      ['d', 50, null],
    ]);
    expect(t.total.value).toBe(96);
  });

  it('takes the smallest non-zero cell as the second one, not a zero (a zero may be known to be structural)', () => {
    const t = suppressTable(
      table([
        ['a', 30],
        ['b', 4],
        ['c', 0],
        ['d', 12],
      ]),
    );
    expect(values(t)).toEqual([
      ['a', 30, null],
      ['b', null, 'suppressed'],
      ['c', 0, null],
      ['d', null, 'secondary-suppressed'],
    ]);
  });

  it('needs no second cell when two or more are already suppressed', () => {
    const t = suppressTable(
      table([
        ['a', 30],
        ['b', 4],
        ['c', 9],
      ]),
    );
    expect(values(t)).toEqual([
      ['a', 30, null],
      ['b', null, 'suppressed'],
      ['c', null, 'suppressed'],
    ]);
  });

  it('picks the first of equally small cells, so the output is deterministic', () => {
    const t = suppressTable(
      table([
        ['a', 20],
        ['b', 3],
        ['c', 20],
      ]),
    );
    expect(values(t)).toEqual([
      ['a', null, 'secondary-suppressed'],
      ['b', null, 'suppressed'],
      ['c', 20, null],
    ]);
  });

  it('suppresses the whole table, zeros included, when the total is under 10', () => {
    const t = suppressTable(
      table([
        ['a', 7],
        ['b', 0],
      ]),
    );
    expect(t.total).toEqual({ value: null, flag: 'suppressed' });
    expect(values(t)).toEqual([
      ['a', null, 'suppressed'],
      ['b', null, 'suppressed'],
    ]);
  });

  it('applies no secondary suppression to overlapping categories (not a partition)', () => {
    const t = suppressTable(
      table(
        [
          ['eenzaamheid', 40],
          ['rouw', 3],
          ['zingeving', 20],
        ],
        false,
      ),
    );
    expect(values(t)).toEqual([
      ['eenzaamheid', 40, null],
      ['rouw', null, 'suppressed'],
      ['zingeving', 20, null],
    ]);
  });

  it('refuses a partition whose rows do not add up to its total', () => {
    expect(() => suppressTable({ ...table([['a', 10]]), total: 11 })).toThrow(/add up/);
  });

  it('publishes a statistic only over at least 10 people', () => {
    expect(suppressStatistic(9, 4.5)).toBeNull();
    expect(suppressStatistic(10, 4.5)).toBe(4.5);
  });
});
