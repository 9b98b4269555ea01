// The runner on real PostgreSQL: once and in order under concurrent starts, a record per migration,
// refusal of a changed or unknown migration, and all-or-nothing upgrades.
import { freshSchemaPool } from '@wor/test-support';
import { Pool } from 'pg';
import { checksumOf, migration, MigrationRefused, runMigrations, type Migration } from './migrations';

const first = migration('create-things', 'CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL);');
// Not idempotent on purpose: a second run would insert a second row (or fail on the key).
const second = migration('seed-things', `INSERT INTO things VALUES (1, 'one');`);
const third = migration('add-colour', 'ALTER TABLE things ADD COLUMN colour text;');

describe('runMigrations (real PostgreSQL)', () => {
  let pool: Pool;
  let schema: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ pool, schema, close } = await freshSchemaPool('mig'));
  });
  afterEach(() => close());

  const record = async () =>
    (await pool.query(`SELECT number, name, checksum, applied_at FROM "${schema}".schema_migrations ORDER BY number`))
      .rows;

  it('applies each migration once, in order, and records name, checksum and time', async () => {
    expect(await runMigrations(pool, schema, [first, second])).toEqual({ applied: ['create-things', 'seed-things'] });
    expect(await runMigrations(pool, schema, [first, second])).toEqual({ applied: [] });
    expect(await runMigrations(pool, schema, [first, second, third])).toEqual({ applied: ['add-colour'] });
    expect(await record()).toEqual([
      { number: 1, name: 'create-things', checksum: checksumOf(first), applied_at: expect.any(Date) },
      { number: 2, name: 'seed-things', checksum: checksumOf(second), applied_at: expect.any(Date) },
      { number: 3, name: 'add-colour', checksum: checksumOf(third), applied_at: expect.any(Date) },
    ]);
    expect((await pool.query('SELECT id, name, colour FROM things')).rows).toEqual([
      { id: 1, name: 'one', colour: null },
    ]);
  });

  it('runs once when two processes start at the same moment: the second waits on the lock, then has nothing to do', async () => {
    // Two pools: two processes' connections, neither sharing a session with the other.
    const other = new Pool({ connectionString: (pool.options as { connectionString: string }).connectionString });
    try {
      const results = await Promise.all([
        runMigrations(pool, schema, [first, second, third]),
        runMigrations(other, schema, [first, second, third]),
      ]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 3]);
      expect(await record()).toHaveLength(3);
      expect((await pool.query('SELECT count(*)::int AS n FROM things')).rows).toEqual([{ n: 1 }]);
    } finally {
      await other.end();
    }
  });

  it('refuses to start when an applied migration was changed, and changes nothing', async () => {
    await runMigrations(pool, schema, [first, second]);
    const edited = migration('seed-things', `INSERT INTO things VALUES (1, 'uno');`);
    const attempt = runMigrations(pool, schema, [first, edited, third]);
    await expect(attempt).rejects.toBeInstanceOf(MigrationRefused);
    await expect(attempt).rejects.toThrow(
      `migration 2 (seed-things) of schema ${schema} was changed after it was applied`,
    );
    expect(await record()).toHaveLength(2);
    expect(
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'colour'`,
          [schema],
        )
      ).rows,
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a renamed or reordered migration and a database newer than the code', async () => {
    await runMigrations(pool, schema, [first, second]);
    await expect(runMigrations(pool, schema, [first, { ...second, name: 'seed' }])).rejects.toThrow(/was changed/);
    await expect(runMigrations(pool, schema, [second, first])).rejects.toThrow(/migration 1 \(create-things\)/);
    await expect(runMigrations(pool, schema, [first])).rejects.toThrow(
      /migration 2 \(seed-things\) that this code does not know/,
    );
  });

  it('applies an upgrade all or nothing: a failing migration leaves neither its predecessors nor a record', async () => {
    await runMigrations(pool, schema, [first]);
    const broken: Migration = migration('broken', 'ALTER TABLE no_such_table ADD COLUMN x int;');
    await expect(runMigrations(pool, schema, [first, second, broken])).rejects.toThrow(/no_such_table/);
    expect(await record()).toHaveLength(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM things')).rows).toEqual([{ n: 0 }]);
  });

  it('rejects an invalid schema name and duplicate migration names before touching the database', async () => {
    await expect(runMigrations(pool, 'Robert"; DROP', [first])).rejects.toThrow(/Invalid schema name/);
    await expect(runMigrations(pool, schema, [first, first])).rejects.toThrow(/unique/);
  });
});
