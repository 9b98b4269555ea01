import type { LookupAddress } from 'node:dns';
import {
  blockedKindOf,
  endpointPolicyOf,
  endpointRefusal,
  EndpointRefused,
  guardedLookup,
  type Resolve,
} from './endpoint-policy';

const none = endpointPolicyOf(undefined);
const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const resolvingTo =
  (...answers: LookupAddress[][]): Resolve =>
  async () =>
    answers.length > 1 ? answers.shift()! : answers[0]!;

describe('the Subscription endpoint policy (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['64:ff9b::a00:1', 'NAT64'],
    ['93.184.215.14', undefined],
    ['172.32.0.1', undefined],
    ['2a00:1450:400e:80f::200e', undefined],
  ])('classifies %s as %s', (address, kind) => {
    expect(blockedKindOf(address)).toBe(kind);
  });

  it('refuses http, internal IP literals and names that resolve internally; takes https on public addresses', async () => {
    const publicDns = resolvingTo([v4('93.184.215.14')]);
    expect(await endpointRefusal(new URL('http://gp.example/hook'), none, publicDns)).toMatch(/^an https URL/);
    expect(await endpointRefusal(new URL('https://gp.example/hook'), none, publicDns)).toBeUndefined();
    expect(await endpointRefusal(new URL('https://169.254.169.254/latest/meta-data'), none)).toMatch(/link-local/);
    expect(await endpointRefusal(new URL('https://[::1]:8443/hook'), none)).toMatch(/loopback address \(::1\)/);
    // One internal address among public ones is enough to refuse.
    const mixed = resolvingTo([v4('93.184.215.14'), v4('10.0.0.7')]);
    expect(await endpointRefusal(new URL('https://gp.example/hook'), none, mixed)).toBe(
      'gp.example resolves to a private address (10.0.0.7); the platform sends only to public addresses',
    );
    const failing: Resolve = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    expect(await endpointRefusal(new URL('https://nowhere.example/hook'), none, failing)).toBe(
      'nowhere.example does not resolve (ENOTFOUND)',
    );
  });

  it('lets the allowed hosts use http and internal addresses', async () => {
    const dev = endpointPolicyOf(' 127.0.0.1, LocalHost ,[::1]');
    expect([...dev.allowedHosts]).toEqual(['127.0.0.1', 'localhost', '::1']);
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://[::1]/hook'])
      expect(await endpointRefusal(new URL(url), dev, resolvingTo([v4('127.0.0.1')]))).toBeUndefined();
    expect(await endpointRefusal(new URL('http://127.0.0.2/hook'), dev)).toMatch(/^an https URL/);
  });

  it('checks again when connecting: a name that resolved publicly at create and internally now gets nothing', async () => {
    const rebinding = resolvingTo([v4('93.184.215.14')], [v4('127.0.0.1')]);
    expect(await endpointRefusal(new URL('https://rebind.example/hook'), none, rebinding)).toBeUndefined();
    const lookup = guardedLookup(none, rebinding);
    const connect = (all: boolean) =>
      new Promise<unknown>((done) => lookup('rebind.example', { all }, (error, address) => done(error ?? address)));
    const refused = await connect(false);
    expect(refused).toBeInstanceOf(EndpointRefused);
    expect((refused as Error).message).toMatch(/rebind\.example resolves to a loopback address \(127\.0\.0\.1\)/);
    expect(await connect(true)).toBeInstanceOf(EndpointRefused);
  });

  it('connects to what it checked when the addresses are public (one, or all for happy eyeballs)', async () => {
    const lookup = guardedLookup(none, resolvingTo([v4('93.184.215.14'), { address: '2a00:1450::1', family: 6 }]));
    const one = await new Promise((done) =>
      lookup('gp.example', { family: 4 }, (error, address, family) => done([error, address, family])),
    );
    expect(one).toEqual([null, '93.184.215.14', 4]);
    const all = await new Promise((done) => lookup('gp.example', { all: true }, (error, addresses) => done(addresses)));
    expect(all).toEqual([v4('93.184.215.14'), { address: '2a00:1450::1', family: 6 }]);
  });
});
