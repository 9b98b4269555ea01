// The rows of an imported data set that belong to no entry of the map: taxonomies and taxonomy terms no
// attribute embeds, meta_table_descriptions, and metadata and attributes about no entry of the set. One stream per
// municipality; an import adds its rows (by id) and exports give them back, so nothing a source sent is lost.
import { sameJson } from '../hsds/ids';

export const DATA_SET_TABLES = [
  'taxonomies',
  'taxonomy_terms',
  'meta_table_descriptions',
  'metadata',
  'attributes',
] as const;
export type DataSetTable = (typeof DATA_SET_TABLES)[number];
type Row = Record<string, unknown> & { id: string };
export type DataSetTables = Record<DataSetTable, Row[]>;

export type DataSetTablesEvent = {
  type: 'DataSetTablesSaved';
  data: { municipality: string; tables: DataSetTables; savedAt: string; savedBy: string };
};
export type DataSetTablesCommand = {
  type: 'SaveDataSetTables';
  data: { municipality: string; tables: DataSetTables; by: string };
  metadata: { now: Date };
};
export type DataSetTablesState = { tables: DataSetTables };

export const emptyTables = (): DataSetTables => ({
  taxonomies: [],
  taxonomy_terms: [],
  meta_table_descriptions: [],
  metadata: [],
  attributes: [],
});
const initialState = (): DataSetTablesState => ({ tables: emptyTables() });

/** Rows of `added` replace the rows of `current` with the same id; the others stay. */
const merge = (current: DataSetTables, added: DataSetTables): DataSetTables =>
  Object.fromEntries(
    DATA_SET_TABLES.map((table) => {
      const byId = new Map(current[table].map((row) => [row.id, row]));
      for (const row of added[table]) byId.set(row.id, row);
      return [table, [...byId.values()]];
    }),
  ) as DataSetTables;

const decide = (command: DataSetTablesCommand, state: DataSetTablesState): DataSetTablesEvent[] => {
  switch (command.type) {
    case 'SaveDataSetTables': {
      const tables = merge(state.tables, command.data.tables);
      if (sameJson(tables, state.tables)) return [];
      return [
        {
          type: 'DataSetTablesSaved',
          data: {
            municipality: command.data.municipality,
            tables,
            savedAt: command.metadata.now.toISOString(),
            savedBy: command.data.by,
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
};

const evolve = (state: DataSetTablesState, event: DataSetTablesEvent): DataSetTablesState => {
  switch (event.type) {
    case 'DataSetTablesSaved':
      return { tables: event.data.tables };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

export const dataSetTablesStreamId = (municipality: string): string => `data-set-${municipality}`;
export const dataSetTablesDecider = { decide, evolve, initialState };
