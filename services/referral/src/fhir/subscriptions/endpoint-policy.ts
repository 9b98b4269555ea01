// Which Subscription endpoints the platform POSTs to (SSRF): a GP system names the URL, so without this
// it could make the platform call internal addresses. By default only https, and only hosts whose every
// address is public. Checked at create (after DNS resolution) and again when connecting: the delivery
// connects through `guardedLookup`, so a name that resolves elsewhere later (DNS rebinding) gets nothing.
// Hosts on REFERRAL_SUBSCRIPTION_ALLOWED_HOSTS (tests, local development) may use http and any address.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export type EndpointPolicy = Readonly<{ allowedHosts: ReadonlySet<string> }>;

/** The policy from the setting's comma list (host names or IP addresses, case-insensitive). */
export const endpointPolicyOf = (allowedHosts: string | undefined): EndpointPolicy => ({
  allowedHosts: new Set(
    (allowedHosts ?? '')
      .split(',')
      .map((h) =>
        h
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
  ),
});

const RANGES: [label: string, cidr: string][] = [
  ['unspecified', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['shared (carrier-grade NAT)', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['reserved', '192.0.0.0/24'],
  ['private', '192.168.0.0/16'],
  ['benchmarking', '198.18.0.0/15'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['NAT64', '64:ff9b::/96'],
  ['unique-local', 'fc00::/7'],
  ['link-local', 'fe80::/10'],
  ['site-local', 'fec0::/10'],
  ['multicast', 'ff00::/8'],
];
const BLOCKED: [string, BlockList][] = RANGES.map(([label, cidr]) => {
  const [network, prefix] = cidr.split('/') as [string, string];
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return [label, list];
});

/** Why the platform does not send to this address (e.g. 'loopback'), or undefined when it is public. */
export const blockedKindOf = (address: string): string | undefined => {
  const family = isIP(address);
  if (!family) return 'not an IP address';
  // IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked against the IPv4 ranges by BlockList.
  return BLOCKED.find(([, list]) => list.check(address, family === 6 ? 'ipv6' : 'ipv4'))?.[0];
};

export class EndpointRefused extends Error {
  override readonly name = 'EndpointRefused';
}

const hostOf = (url: URL): string => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

export type Resolve = (hostname: string) => Promise<LookupAddress[]>;
const resolveAll: Resolve = (hostname) =>
  new Promise((done, fail) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? fail(error) : done(addresses))),
  );

const refusalOf = (host: string, addresses: readonly LookupAddress[]): string | undefined => {
  for (const { address } of addresses) {
    const kind = blockedKindOf(address);
    if (kind) return `${host} resolves to a ${kind} address (${address}); the platform sends only to public addresses`;
  }
  return addresses.length ? undefined : `${host} resolves to no address`;
};

/** What is refused without resolving: http, and IP addresses that are not public (unless the host is allowed). */
export const literalRefusal = (endpoint: URL, policy: EndpointPolicy): string | undefined => {
  const host = hostOf(endpoint);
  if (policy.allowedHosts.has(host)) return undefined;
  if (endpoint.protocol !== 'https:') return 'an https URL (http only for the allowed hosts of the platform)';
  return isIP(host) ? refusalOf(host, [{ address: host, family: isIP(host) }]) : undefined;
};

/** Why the platform will not send to `endpoint`, or undefined (at create: resolves the host now). */
export const endpointRefusal = async (
  endpoint: URL,
  policy: EndpointPolicy,
  resolve: Resolve = resolveAll,
): Promise<string | undefined> => {
  const host = hostOf(endpoint);
  const refusal = literalRefusal(endpoint, policy);
  if (refusal || policy.allowedHosts.has(host) || isIP(host)) return refusal;
  try {
    return refusalOf(host, await resolve(host));
  } catch (error) {
    return `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
};

/**
 * The `lookup` of the delivery's connection: resolves as usual and refuses when any address is not public
 * (unless the host is allowed), so what was checked is what is connected to.
 */
export const guardedLookup =
  (policy: EndpointPolicy, resolve: Resolve = resolveAll): LookupFunction =>
  (hostname, options: LookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refusal = policy.allowedHosts.has(hostname.toLowerCase()) ? undefined : refusalOf(hostname, addresses);
        if (refusal) return callback(new EndpointRefused(refusal), '', 0);
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        if (!usable[0]) return callback(new EndpointRefused(`${hostname} has no IPv${wanted} address`), '', 0);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
