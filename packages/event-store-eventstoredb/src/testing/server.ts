// Where tests find a real EventStoreDB: EVENTSTORE_URL first, a KurrentDB container (testcontainers)
// where Docker is available, and otherwise nowhere: the suites then report themselves as skipped,
// saying why, instead of failing or passing against something that is not EventStoreDB.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Pinned KurrentDB (the renamed EventStoreDB) image; KURRENTDB_IMAGE overrides it. */
export const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-latest/kurrentdb:25.1';

export type EventStoreDbAvailability =
  Readonly<{ available: true; via: 'EVENTSTORE_URL' | 'docker' }> | Readonly<{ available: false; reason: string }>;

/**
 * Decided synchronously, when the test file loads (jest has no asynchronous describe): the variable,
 * or the signs testcontainers itself looks for (DOCKER_HOST, a Docker socket, its properties file).
 */
export const eventStoreDbAvailability = (
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
  home: string = homedir(),
): EventStoreDbAvailability => {
  if (env.EVENTSTORE_URL) return { available: true, via: 'EVENTSTORE_URL' };
  const signs = [
    env.DOCKER_HOST ? 'DOCKER_HOST' : undefined,
    ...[
      '/var/run/docker.sock',
      join(home, '.docker', 'run', 'docker.sock'),
      join(home, '.testcontainers.properties'),
    ].filter((path) => exists(path)),
  ].filter((sign) => sign !== undefined);
  if (signs.length > 0) return { available: true, via: 'docker' };
  return { available: false, reason: 'no EventStoreDB: EVENTSTORE_URL is not set and Docker is not available' };
};

let urlPromise: Promise<string> | undefined;

/** The server's connection string; starts one KurrentDB container per test process when needed. */
export const eventStoreDbUrl = (env: Record<string, string | undefined> = process.env): Promise<string> =>
  (urlPromise ??= (async () => {
    if (env.EVENTSTORE_URL) return env.EVENTSTORE_URL;
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(env.KURRENTDB_IMAGE ?? KURRENTDB_IMAGE)
      .withEnvironment({
        KURRENTDB_CLUSTER_SIZE: '1',
        KURRENTDB_INSECURE: 'true',
        KURRENTDB_MEM_DB: 'true',
        KURRENTDB_RUN_PROJECTIONS: 'None',
      })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300))
      .withStartupTimeout(180_000)
      .start(); // removed by testcontainers' reaper when the test process ends
    return `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
  })());
