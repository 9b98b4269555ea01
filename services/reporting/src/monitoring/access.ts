// Who may see a municipality's figures: reporting consumers and coordinators only of the
// municipality in their token, an admin of any. Aggregates only, never fact rows.
import { type Caller, HttpProblem } from '@wor/service-kit';

export const REPORTING_ROLES = ['reporting-consumer', 'coordinator', 'admin'] as const;

export const assertMunicipality = (caller: Caller, municipality: string): void => {
  if (caller.roles.includes('admin') && !caller.municipality) return;
  if (caller.municipality !== municipality)
    throw new HttpProblem({
      status: 403,
      title: 'Forbidden',
      detail: 'Figures of another municipality are not yours to see.',
    });
};
