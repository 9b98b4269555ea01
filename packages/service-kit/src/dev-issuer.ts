// The local development issuer: the embedded platform's and the tests' stand-in for the OIDC provider.
// It has its own ES256 key pair and publishes the public half as a JWKS; its `authenticate` is the
// production JWKS verifier (jwt-verifier.ts) pointed at that key set. Refused when NODE_ENV=production.
//
// Key: `key` option, else derived from `secret` (isolated test issuers), else WOR_DEV_ISSUER_KEY, else
// one key generated per process (every createDevIssuer() of the process shares it; the launcher passes
// it to child processes with devIssuerKey()). The key is the base64url P-256 private scalar, or its JWK.
import { createECDH, createHash, createPrivateKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, type JWK, SignJWT } from 'jose';
import { type Authenticate, isRole, type Role } from './auth';
import { createJwtAuthenticator } from './jwt-verifier';

export const DEV_ISSUER = 'urn:wor:dev-issuer';
export const DEV_AUDIENCE = 'wor-platform';

export type DevTokenClaims = {
  sub: string;
  roles: readonly Role[];
  org?: string;
  municipality?: string;
  municipalAccount?: boolean;
};

export type DevIssuer = Readonly<{
  issuer: string;
  audience: string;
  /** expiresIn: a jose time span ('1h', '15m') or an absolute Date. */
  sign: (claims: DevTokenClaims, expiresIn?: string | Date) => Promise<string>;
  /** The public keys, as an OIDC provider serves them at its jwks_uri. */
  jwks: JSONWebKeySet;
  authenticate: Authenticate;
}>;

export type DevKeyPair = Readonly<{ privateKey: KeyObject; publicJwk: JWK & { kid: string } }>;

const b64u = (bytes: Buffer): string => bytes.toString('base64url');

/** The P-256 key pair of a private scalar; throws when it is not a valid scalar. */
const keyPairOf = (d: Buffer): DevKeyPair => {
  if (d.length !== 32) throw new Error('The dev issuer key must be a 32-byte P-256 private key');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d); // rejects 0 and values ≥ the group order
  const point = ecdh.getPublicKey(null, 'uncompressed');
  const x = b64u(point.subarray(1, 33));
  const y = b64u(point.subarray(33, 65));
  // RFC 7638 thumbprint as the key id: stable for a key, so rotation shows as a new kid.
  const kid = b64u(
    createHash('sha256')
      .update(JSON.stringify({ crv: 'P-256', kty: 'EC', x, y }))
      .digest(),
  );
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x, y, d: b64u(d) }, format: 'jwk' });
  return { privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' } };
};

/** Parses a WOR_DEV_ISSUER_KEY value: base64url of the private scalar, or a private EC P-256 JWK. */
export const devIssuerKeyPair = (key: string): DevKeyPair => {
  const text = key.trim();
  if (text.startsWith('{')) {
    let jwk: { kty?: unknown; crv?: unknown; d?: unknown };
    try {
      jwk = JSON.parse(text) as typeof jwk;
    } catch {
      throw new Error('The dev issuer key is not valid JSON');
    }
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string')
      throw new Error('The dev issuer key must be a private EC P-256 JWK');
    return keyPairOf(Buffer.from(jwk.d, 'base64url'));
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw new Error('The dev issuer key must be 43 base64url characters');
  return keyPairOf(Buffer.from(text, 'base64url'));
};

export const isDevIssuerKey = (key: string): boolean => {
  try {
    devIssuerKeyPair(key);
    return true;
  } catch {
    return false;
  }
};

/** A fresh dev issuer key (base64url of a P-256 private scalar). */
export const generateDevIssuerKey = (): string => {
  for (;;) {
    const d = randomBytes(32);
    if (isDevIssuerKey(b64u(d))) return b64u(d);
  }
};

/** A key derived from a secret, so issuers built from the same secret agree. */
export const devIssuerKeyFromSecret = (secret: string): string => {
  for (let counter = 0; ; counter++) {
    const d = Buffer.from(hkdfSync('sha256', secret, 'wor-dev-issuer', `es256-${counter}`, 32));
    if (isDevIssuerKey(b64u(d))) return b64u(d);
  }
};

// Kept on the global object, not in a module variable: a process can load this package twice (a
// test importing sources next to another package's build) and both copies must sign alike.
const PROCESS_KEY = Symbol.for('@wor/service-kit/dev-issuer-key');
const processGlobal = globalThis as { [PROCESS_KEY]?: string };

/** The key every createDevIssuer() of this process uses: WOR_DEV_ISSUER_KEY, else one generated per process. */
export const devIssuerKey = (env: Record<string, string | undefined> = process.env): string =>
  env.WOR_DEV_ISSUER_KEY || (processGlobal[PROCESS_KEY] ??= generateDevIssuerKey());

export const createDevIssuer = (
  options: {
    /** A WOR_DEV_ISSUER_KEY value. */
    key?: string;
    /** Derives the key from this secret: tests use it for an issuer of their own. */
    secret?: string;
    issuer?: string;
    audience?: string;
    env?: Record<string, string | undefined>;
  } = {},
): DevIssuer => {
  const env = options.env ?? process.env;
  if (env.NODE_ENV === 'production')
    throw new Error('The development token issuer is refused when NODE_ENV=production; configure OIDC_ISSUER');
  const key =
    options.key ?? (options.secret === undefined ? devIssuerKey(env) : devIssuerKeyFromSecret(options.secret));
  const { privateKey, publicJwk } = devIssuerKeyPair(key);
  const issuer = options.issuer ?? DEV_ISSUER;
  const audience = options.audience ?? DEV_AUDIENCE;
  const jwks: JSONWebKeySet = { keys: [publicJwk] };

  const sign: DevIssuer['sign'] = async (claims, expiresIn = '1h') => {
    const unknownRoles = claims.roles.filter((r) => !isRole(r));
    if (unknownRoles.length > 0) throw new Error(`Unknown roles: ${unknownRoles.join(', ')}`);
    return new SignJWT({
      roles: [...claims.roles],
      ...(claims.org === undefined ? {} : { org: claims.org }),
      ...(claims.municipality === undefined ? {} : { municipality: claims.municipality }),
      ...(claims.municipalAccount === undefined ? {} : { municipal_account: claims.municipalAccount }),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: publicJwk.kid })
      .setSubject(claims.sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(privateKey);
  };

  const authenticate = createJwtAuthenticator({ issuer, audience, keys: createLocalJWKSet(jwks) });
  return { issuer, audience, sign, jwks, authenticate };
};
