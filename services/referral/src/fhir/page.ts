// One page of a searchset, as every paged FHIR search of the referral service answers it: absolute
// fullUrls, the self link, and next/previous links that repeat the query at another _offset.
import { fhirBaseOf, fhirSelfOf, searchset, sendFhir, type FhirSettings, type SearchsetInput } from '@wor/service-kit';
import type { Request, Response } from 'express';
import type { BundleLink } from 'fhir/r4';

/** This page's matches (the caller slices or queries by count and offset), and where the page is. */
type Page = Pick<SearchsetInput, 'matches' | 'includes' | 'warnings'> &
  Readonly<{ total: number; count: number; offset: number }>;

/** next and previous links of a page: the same query at another _offset. */
const pagingLinks = (req: Request, base: string, page: Page): BundleLink[] => {
  const at = (offset: number) => {
    const url = new URL(`${base}${req.path.slice('/fhir'.length)}`);
    for (const [k, v] of Object.entries(req.query as Record<string, unknown>))
      if (k !== '_offset') for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    url.searchParams.set('_count', String(page.count));
    url.searchParams.set('_offset', String(offset));
    return url.toString();
  };
  return [
    ...(page.offset + page.count < page.total ? [{ relation: 'next', url: at(page.offset + page.count) }] : []),
    ...(page.offset > 0 ? [{ relation: 'previous', url: at(Math.max(0, page.offset - page.count)) }] : []),
  ];
};

export const sendPage = (req: Request, res: Response, fhir: FhirSettings, page: Page): void => {
  const base = fhirBaseOf(req, fhir);
  sendFhir(
    res,
    200,
    searchset({
      base,
      self: fhirSelfOf(req, fhir),
      total: page.total,
      matches: page.matches,
      includes: page.includes,
      warnings: page.warnings,
      links: pagingLinks(req, base, page),
    }),
  );
};
