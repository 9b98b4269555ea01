// Dashboards for the municipality and the collaboration: the "thermometer" (how the collaboration
// is doing at a glance), trends per two-month period and the referral rate per practice. Built from
// the same suppressed extract as the GALA figures, as of the latest position.
import type { Pool } from 'pg';
import { type Period, twoMonthPeriods } from '../periods/period';
import { buildExtract, type Extract } from '../extracts/extract';
import { lastPosition } from '../received-events/store';

const cell = (extract: Extract, tableId: string, category: string) =>
  extract.tables.find((t) => t.id === tableId)?.rows.find((r) => r.category === category)?.count.value ?? null;

const total = (extract: Extract, tableId: string) => extract.tables.find((t) => t.id === tableId)?.total.value ?? null;

const statistic = (extract: Extract, id: string, name: string) =>
  extract.statistics.find((s) => s.id === id)?.values.find((v) => v.name === name)?.value ?? null;

const percent = (part: number | null, whole: number | null) =>
  part === null || whole === null || whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

type Light = 'green' | 'orange' | 'red' | 'unknown';

const sumKnown = (values: (number | null)[]) =>
  values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0);

export const thermometer = (extract: Extract) => {
  const referrals = total(extract, 'referrals-by-stage');
  const rows = extract.practices.rows.filter((p) => p.registeredPatients !== null);
  const expectedMin = rows.length ? Math.round(rows.reduce((s, p) => s + (p.expectedMin ?? 0), 0) * 10) / 10 : null;
  const expectedMax = rows.length ? Math.round(rows.reduce((s, p) => s + (p.expectedMax ?? 0), 0) * 10) / 10 : null;
  const referralsLight: Light =
    referrals === null || expectedMin === null || expectedMax === null
      ? 'unknown'
      : referrals < expectedMin
        ? 'orange'
        : referrals > expectedMax
          ? 'orange'
          : 'green';
  const daysToContact = statistic(extract, 'days-to-first-contact', 'median');
  const feedbackShare = percent(cell(extract, 'feedback-to-referrer', 'sent'), referrals);
  const closed = total(extract, 'closures-by-outcome');
  const completed = sumKnown(
    (extract.tables.find((t) => t.id === 'closures-by-outcome')?.rows ?? [])
      .filter((r) => r.category.startsWith('completed:'))
      .map((r) => r.count.value),
  );
  return {
    municipality: extract.municipality,
    period: extract.period,
    asOf: extract.asOf,
    referrals: { count: referrals, expectedMin, expectedMax, light: referralsLight },
    timeToFirstContact: {
      medianDays: daysToContact,
      light: (daysToContact === null
        ? 'unknown'
        : daysToContact <= 7
          ? 'green'
          : daysToContact <= 14
            ? 'orange'
            : 'red') as Light,
    },
    feedbackToReferrer: {
      sentPercent: feedbackShare,
      light: (feedbackShare === null
        ? 'unknown'
        : feedbackShare >= 90
          ? 'green'
          : feedbackShare >= 60
            ? 'orange'
            : 'red') as Light,
    },
    outcomes: {
      closed,
      completedPercent: percent(completed, closed),
      byOutcome: extract.tables.find((t) => t.id === 'closures-by-outcome')?.rows ?? [],
    },
  };
};

export const trends = async (pool: Pool, municipality: string, year: number) => {
  const periods: Period[] = twoMonthPeriods(year);
  const last = await lastPosition(pool); // every period as of the same position
  const asOf = last.position;
  const items = [];
  for (const period of periods) {
    const extract = await buildExtract(pool, { municipality, period, asOf: asOf === 0 ? undefined : asOf });
    const t = thermometer(extract);
    items.push({
      period: period.id,
      from: period.from,
      to: period.to,
      referrals: t.referrals.count,
      medianDaysToFirstContact: t.timeToFirstContact.medianDays,
      feedbackSentPercent: t.feedbackToReferrer.sentPercent,
      closed: t.outcomes.closed,
      completedPercent: t.outcomes.completedPercent,
    });
  }
  return { municipality, year, asOf: last, periods: items };
};

export const practiceRates = (extract: Extract) => ({
  municipality: extract.municipality,
  period: extract.period,
  asOf: extract.asOf,
  expectationPerYear: extract.practices.expectationPerYear,
  practices: extract.practices.rows,
});
