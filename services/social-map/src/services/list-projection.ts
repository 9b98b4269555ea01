// The list of published services coaches search, projected from the social map's own events.
import type { RecordedEvent } from '@wor/event-store';
import type { Pool, PoolClient } from 'pg';
import type { SocialMapServiceEvent } from './service';

export const migrateServiceList = async (pool: Pool): Promise<void> => {
  await pool.query(`CREATE TABLE IF NOT EXISTS service_list (
    service_id uuid PRIMARY KEY,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    municipality text NOT NULL,
    districts text[] NOT NULL,
    dimensions text[] NOT NULL,
    free_of_charge boolean NOT NULL,
    published_at timestamptz NOT NULL)`);
};

export const projectServiceList = async (events: readonly RecordedEvent[], tx: PoolClient): Promise<void> => {
  for (const recorded of events) {
    const event = recorded as RecordedEvent<SocialMapServiceEvent>;
    switch (event.type) {
      case 'ServicePublished': {
        const d = event.data;
        await tx.query(
          `INSERT INTO service_list (service_id, organization_id, name, description, municipality, districts, dimensions, free_of_charge, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (service_id) DO NOTHING`,
          [d.serviceId, d.organizationId, d.name, d.description, d.municipality, d.districts, d.dimensions, d.freeOfCharge, d.publishedAt],
        );
        break;
      }
      default: {
        const _exhaustive: never = event.type;
      }
    }
  }
};

export type ListedService = {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  municipality: string;
  districts: string[];
  dimensions: string[];
  free_of_charge: boolean;
};

export const listServices = async (
  pool: Pool,
  filter: { municipality?: string | undefined; q?: string | undefined },
): Promise<ListedService[]> => {
  const { rows } = await pool.query<ListedService>(
    `SELECT service_id AS id, organization_id, name, description, municipality, districts, dimensions, free_of_charge
     FROM service_list
     WHERE ($1::text IS NULL OR municipality = $1)
       AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%' OR description ILIKE '%' || $2 || '%')
     ORDER BY name LIMIT 200`,
    [filter.municipality ?? null, filter.q ?? null],
  );
  return rows;
};
