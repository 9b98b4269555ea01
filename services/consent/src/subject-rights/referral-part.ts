// The referral service's part of the art. 15 report, asked over HTTP with the privacy officer's own
// bearer token: the referral service decides itself that the caller may see it, and its access log
// names the officer, not this service. Unreachable or unconfigured, the report says the part is
// missing rather than failing or pretending the person has no referrals.
const TIMEOUT_MS = 10_000;

export type ServicePart = Readonly<Record<string, unknown> & { missing?: string }>;

export const fetchReferralPart = async (
  baseUrl: string | undefined,
  subjectId: string,
  authorization: string | undefined,
): Promise<ServicePart> => {
  if (!baseUrl)
    return { missing: 'The referral service is not configured (WOR_REFERRAL_URL); its part is not in this report.' };
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/subjects/${encodeURIComponent(subjectId)}/report`, {
      headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok)
      return { missing: `The referral service answered ${response.status}; its part is not in this report.` };
    return (await response.json()) as ServicePart;
  } catch {
    return { missing: 'The referral service could not be reached; its part is not in this report.' };
  }
};

/** Reporting drops the subject id on receipt (received-events/store.ts): nothing in it is about a person. */
export const REPORTING_PART = {
  holds:
    'pseudonymous facts per referral (codes, dates, age band, sex, municipality) for monitoring and ' +
    'aggregates; the subject id is dropped on receipt, so nothing there can be found or reported by person. ' +
    'Its facts are keyed by the referral ids listed under the referral service.',
} as const;
