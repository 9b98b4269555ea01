import { z } from 'zod';
import { ConfigError, loadConfig } from './config';
import { EventStoreEnv, eventStoreSelection, requireEventStoreUrl } from './event-store-config';

// The same composition as a service process's configuration, with one other variable beside it.
const Schema = requireEventStoreUrl(z.object({ DATABASE_URL: z.url(), ...EventStoreEnv }));
const db = { DATABASE_URL: 'postgres://localhost/db' };

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(Schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('EVENT_STORE configuration', () => {
  it('defaults to PostgreSQL', () => {
    expect(eventStoreSelection(loadConfig(Schema, db))).toEqual({ kind: 'postgres' });
  });

  it('selects EventStoreDB with its connection string', () => {
    const url = 'esdb://eventstoredb:2113?tls=false';
    const config = loadConfig(Schema, { ...db, EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: url });
    expect(eventStoreSelection(config)).toEqual({ kind: 'eventstoredb', eventStoreUrl: url });
    expect(eventStoreSelection(loadConfig(Schema, { ...db, EVENT_STORE: 'postgres', EVENTSTORE_URL: url }))).toEqual({
      kind: 'postgres',
    });
  });

  it('names a missing EVENTSTORE_URL, also together with other problems', () => {
    expect(problemsOf({ ...db, EVENT_STORE: 'eventstoredb' })).toEqual([
      'EVENTSTORE_URL is missing (required when EVENT_STORE=eventstoredb)',
    ]);
    expect(problemsOf({ EVENT_STORE: 'eventstoredb' })).toEqual([
      'DATABASE_URL is missing',
      'EVENTSTORE_URL is missing (required when EVENT_STORE=eventstoredb)',
    ]);
  });

  it('names an unknown store or a URL that is not EventStoreDB, without echoing values', () => {
    const problems = problemsOf({ ...db, EVENT_STORE: 'mongodb', EVENTSTORE_URL: 'postgres://user:secret@h/db' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^EVENT_STORE is invalid/);
    expect(problems[1]).toMatch(/^EVENTSTORE_URL is invalid \(an esdb:\/\/ or esdb\+discover:\/\/ connection string\)/);
    expect(problems.join('\n')).not.toMatch(/secret|mongodb/);
  });
});
