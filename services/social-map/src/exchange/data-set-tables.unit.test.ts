import { dataSetTablesDecider, emptyTables, type DataSetTables, type DataSetTablesEvent } from './data-set-tables';

const now = new Date('2026-03-01T10:00:00Z');
const tables = (terms: { id: string; name: string }[]) => ({ ...emptyTables(), taxonomy_terms: terms });
const given = (events: DataSetTablesEvent[]) =>
  events.reduce(dataSetTablesDecider.evolve, dataSetTablesDecider.initialState());
const save = (t: DataSetTables) =>
  ({ type: 'SaveDataSetTables', data: { municipality: 'GM9999', tables: t, by: 'ku' }, metadata: { now } }) as const;

describe('data-set tables', () => {
  it('given nothing, when rows are saved, then they are recorded', () => {
    expect(dataSetTablesDecider.decide(save(tables([{ id: 'a', name: 'A' }])), given([]))).toEqual([
      {
        type: 'DataSetTablesSaved',
        data: {
          municipality: 'GM9999',
          tables: tables([{ id: 'a', name: 'A' }]),
          savedAt: now.toISOString(),
          savedBy: 'ku',
        },
      },
    ]);
  });

  it('given rows, when other rows are saved, then both are kept and a row with the same id is replaced', () => {
    const state = given(
      dataSetTablesDecider.decide(
        save(
          tables([
            { id: 'a', name: 'A' },
            { id: 'b', name: 'B' },
          ]),
        ),
        given([]),
      ),
    );
    const [event] = dataSetTablesDecider.decide(
      save(
        tables([
          { id: 'b', name: 'B2' },
          { id: 'c', name: 'C' },
        ]),
      ),
      state,
    );
    expect(event!.data.tables.taxonomy_terms).toEqual([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B2' },
      { id: 'c', name: 'C' },
    ]);
  });

  it('given rows, when the same rows are saved again, then nothing happens', () => {
    const state = given(dataSetTablesDecider.decide(save(tables([{ id: 'a', name: 'A' }])), given([])));
    expect(dataSetTablesDecider.decide(save(tables([{ id: 'a', name: 'A' }])), state)).toEqual([]);
    expect(dataSetTablesDecider.decide(save(emptyTables()), state)).toEqual([]);
  });
});
