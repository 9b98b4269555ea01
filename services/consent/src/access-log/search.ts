// Searching the access log for privacy officers: by patient, user, organisation, purpose, outcome, declared
// (emergency) access, period.
import type { Pool } from 'pg';
import type { AccessLogEntry } from './chain';

export type LogFilter = Readonly<{
  subjectId?: string | undefined;
  userId?: string | undefined;
  organisationId?: string | undefined;
  purpose?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  emergencyAccess?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
}>;

export type LoggedEntry = AccessLogEntry & { seq: string };

export const searchLog = async (
  db: Pick<Pool, 'query'>,
  f: LogFilter,
  limit: number,
  order: 'asc' | 'desc' = 'desc',
): Promise<LoggedEntry[]> => {
  const { rows } = await db.query<{ seq: string; entry: AccessLogEntry }>(
    `SELECT seq::text, entry FROM access_log
     WHERE ($1::text IS NULL OR entry->>'subjectId' = $1)
       AND ($2::text IS NULL OR entry->>'userId' = $2 OR entry->>'onBehalfOf' = $2)
       AND ($3::text IS NULL OR entry->>'organisationId' = $3)
       AND ($4::text IS NULL OR entry->>'purpose' = $4)
       AND ($5::text IS NULL OR entry->>'outcome' = $5)
       AND ($6::timestamptz IS NULL OR (entry->>'accessedAt')::timestamptz >= $6)
       AND ($7::timestamptz IS NULL OR (entry->>'accessedAt')::timestamptz < $7)
       AND ($9::boolean IS NULL OR coalesce((entry->'checks'->>'emergencyAccess')::boolean, false) = $9)
     ORDER BY (entry->>'accessedAt')::timestamptz ${order === 'asc' ? 'ASC' : 'DESC'}, access_log.seq ${order === 'asc' ? 'ASC' : 'DESC'}
     LIMIT $8`,
    [
      f.subjectId ?? null,
      f.userId ?? null,
      f.organisationId ?? null,
      f.purpose ?? null,
      f.outcome ?? null,
      f.from ?? null,
      f.to ?? null,
      limit,
      f.emergencyAccess ?? null,
    ],
  );
  return rows.map((r) => ({ seq: r.seq, ...r.entry }));
};

const COLUMNS = [
  'seq',
  'entryId',
  'accessedAt',
  'producer',
  'subjectId',
  'action',
  'userId',
  'onBehalfOf',
  'role',
  'organisationId',
  'purpose',
  'dataCategories',
  'resourceType',
  'resourceId',
  'outcome',
  'authorisation',
  'consent',
  'agreement',
  'emergencyAccess',
  'consentId',
  'agreementId',
  'reason',
] as const;

const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

export const toCsv = (entries: readonly LoggedEntry[]): string =>
  [
    COLUMNS.join(','),
    ...entries.map((e) =>
      [
        e.seq,
        e.entryId,
        e.accessedAt,
        e.producer,
        e.subjectId,
        e.action,
        e.userId,
        e.onBehalfOf,
        e.role,
        e.organisationId,
        e.purpose,
        e.dataCategories.join(' '),
        e.resource.type,
        e.resource.id,
        e.outcome,
        e.checks.authorisation,
        e.checks.consent,
        e.checks.agreement,
        e.checks.emergencyAccess,
        e.consentId,
        e.agreementId,
        e.reason,
      ]
        .map(cell)
        .join(','),
    ),
  ].join('\r\n') + '\r\n';
