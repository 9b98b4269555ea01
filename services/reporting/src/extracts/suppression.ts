// Statistical disclosure control for published figures. Small numbers identify people, so:
// - primary: a count of 1–9 is suppressed (zero is shown: it describes nobody);
// - a total under 10 suppresses the whole table (every cell would be below 10 too, and a shown zero
//   next to a hidden total would tell that everyone is in the other cells);
// - secondary: in a table whose cells add up to the shown total (a partition), one suppressed cell
//   could be recovered as total minus the rest, so the smallest other non-zero cell is suppressed too;
// - a statistic (mean, median, rate) over fewer than 10 people is suppressed.
// Tables whose cells overlap (a referral can have several reasons) add up to more than the total and
// need no secondary suppression.

export const THRESHOLD = 10;

export type Flag = 'suppressed' | 'secondary-suppressed';

/** A published count: the value, or null with the reason it is hidden. */
export type Cell = Readonly<{ value: number | null; flag: Flag | null }>;

export type CountTable = Readonly<{
  id: string;
  title: string;
  /** Who is counted, e.g. "referrals requested in the period". */
  population: string;
  /** True when every counted unit is in exactly one row, so rows add up to the total. */
  partition: boolean;
  total: number;
  rows: readonly { category: string; count: number }[];
}>;

export type PublishedTable = Readonly<{
  id: string;
  title: string;
  population: string;
  partition: boolean;
  total: Cell;
  rows: readonly { category: string; count: Cell }[];
}>;

const shown = (value: number): Cell => ({ value, flag: null });
const hidden = (flag: Flag): Cell => ({ value: null, flag });

export const isSmall = (count: number): boolean => count > 0 && count < THRESHOLD;

export const suppressCount = (count: number): Cell => (isSmall(count) ? hidden('suppressed') : shown(count));

export const suppressTable = (table: CountTable): PublishedTable => {
  const { total, rows, partition } = table;
  if (partition) {
    const sum = rows.reduce((s, r) => s + r.count, 0);
    if (sum !== total) throw new Error(`Table ${table.id} is a partition but its rows add up to ${sum}, not ${total}`);
  }
  if (isSmall(total))
    return {
      ...table,
      total: hidden('suppressed'),
      rows: rows.map((r) => ({ category: r.category, count: hidden('suppressed') })),
    };

  const flags: (Flag | null)[] = rows.map((r) => (isSmall(r.count) ? 'suppressed' : null));
  if (partition && flags.filter((f) => f !== null).length === 1) {
    // The smallest other non-zero cell (the first of equals, in the table's fixed order) hides the
    // first one. A hidden zero would protect little: a reader who knows the zero is structural (no
    // POH-S in a practice) recovers the first cell. (With a shown total of 10 or more, some other
    // cell is non-zero.)
    const rank = (count: number) => (count === 0 ? Number.MAX_SAFE_INTEGER : count);
    let pick = -1;
    rows.forEach((r, i) => {
      if (flags[i] === null && (pick < 0 || rank(r.count) < rank(rows[pick]!.count))) pick = i;
    });
    if (pick >= 0) flags[pick] = 'secondary-suppressed';
  }
  return {
    ...table,
    total: shown(total),
    rows: rows.map((r, i) => {
      const flag = flags[i];
      return { category: r.category, count: flag ? hidden(flag) : shown(r.count) };
    }),
  };
};

/** A statistic over `n` people: published only when n is at least the threshold. */
export const suppressStatistic = (n: number, value: number | null): number | null => (n < THRESHOLD ? null : value);
