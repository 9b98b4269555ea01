// The referral service's own view of social-map services, fed by the social-map service's integration
// events: enough to check that an activity can be linked (known, active) and to record its name.
// Events may arrive out of order: a retirement is final and wins whenever it arrives, and a status
// change only applies when it is newer than the one the view holds.
import { assertNever, isSocialMapEvent, type IntegrationEvent } from '@wor/contracts';
import type { Pool, PoolClient } from 'pg';

type Db = Pick<Pool, 'query'>;

// Applies (status, at) unless the view already holds a status from a later moment.
const newerStatus = `status = CASE WHEN social_map_service_view.status_at IS NULL OR EXCLUDED.status_at >= social_map_service_view.status_at
      THEN EXCLUDED.status ELSE social_map_service_view.status END,
    status_at = GREATEST(social_map_service_view.status_at, EXCLUDED.status_at)`;

/** Applies one social-map event; other producers' events are not this view's concern. */
export const projectSocialMapEvent = async (event: IntegrationEvent, tx: PoolClient): Promise<void> => {
  if (!isSocialMapEvent(event)) return;
  switch (event.type) {
    case 'ServicePublished': {
      const { serviceId, organizationId, name, publishedAt } = event.data;
      // Publication means active as of publishedAt; a later update or a retirement keeps its word.
      await tx.query(
        `INSERT INTO social_map_service_view (service_id, organization_id, name, published_at, status, status_at)
         VALUES ($1, $2, $3, $4, 'active', $4)
         ON CONFLICT (service_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
           published_at = EXCLUDED.published_at, ${newerStatus}`,
        [serviceId, organizationId, name, publishedAt],
      );
      return;
    }
    case 'ServiceUpdated': {
      const { serviceId, organizationId, status, updatedAt } = event.data;
      await tx.query(
        `INSERT INTO social_map_service_view (service_id, organization_id, status, status_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (service_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, ${newerStatus}`,
        [serviceId, organizationId, status, updatedAt],
      );
      return;
    }
    case 'ServiceRetired':
      // Final: the earliest retirement is kept, whatever arrives before or after it.
      await tx.query(
        `INSERT INTO social_map_service_view (service_id, retired_at) VALUES ($1, $2)
         ON CONFLICT (service_id) DO UPDATE SET retired_at = LEAST(social_map_service_view.retired_at, EXCLUDED.retired_at)`,
        [event.data.serviceId, event.data.retiredAt],
      );
      return;
    // Capacity (issue 20), organisations and key users are not what a referral links to.
    case 'CapacityChanged':
    case 'OrganizationRegistered':
    case 'KeyUserAppointed':
    case 'KeyUserRevoked':
      return;
    default:
      return assertNever(event);
  }
};

/** The service as this view knows it; undefined until its publication has arrived. */
export const findService = async (
  db: Db,
  serviceId: string,
): Promise<{ name: string; active: boolean } | undefined> => {
  const { rows } = await db.query<{ name: string | null; status: string | null; retired_at: Date | null }>(
    'SELECT name, status, retired_at FROM social_map_service_view WHERE service_id = $1',
    [serviceId],
  );
  const row = rows[0];
  if (!row?.name) return undefined;
  return { name: row.name, active: row.retired_at === null && row.status === 'active' };
};
