import { eventStoreDbAvailability } from './testing/server';

describe('where the EventStoreDB suites find a server', () => {
  const nothing = () => false;

  it('uses EVENTSTORE_URL when set', () => {
    expect(eventStoreDbAvailability({ EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' }, nothing, '/home/x')).toEqual(
      {
        available: true,
        via: 'EVENTSTORE_URL',
      },
    );
  });

  it.each([
    [{ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, nothing],
    [{}, (path: string) => path === '/var/run/docker.sock'],
    [{}, (path: string) => path === '/home/x/.docker/run/docker.sock'],
    [{}, (path: string) => path === '/home/x/.testcontainers.properties'],
  ])('starts a container where Docker is available (%j)', (env, exists) => {
    expect(eventStoreDbAvailability(env, exists, '/home/x')).toEqual({ available: true, via: 'docker' });
  });

  it('otherwise says why the suites are skipped', () => {
    const result = eventStoreDbAvailability({ EVENTSTORE_URL: '' }, nothing, '/home/x');
    expect(result).toEqual({
      available: false,
      reason: expect.stringMatching(/EVENTSTORE_URL is not set and Docker is not available/),
    });
  });
});
