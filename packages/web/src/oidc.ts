// Sign-in in production: OpenID Connect authorization-code flow with PKCE (confidential client).
// The BFF sends the browser to the provider, takes the code back, exchanges it server-side for the
// tokens, checks the ID token (signature by the provider's JWKS, issuer, audience = this client,
// nonce) and reads role, organisation and municipality from the access token with the very
// verifier the services use (service-kit, OIDC_* settings). The access token stays in the session.
import type { Authenticate } from '@wor/service-kit';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import type { User } from './identity';

export type OidcLoginOptions = Readonly<{
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: <public URL of the web app>/aanmelden/oidc. */
  redirectUri: string;
  scope?: string;
  /** Verifies the access token as the services do (service-kit authenticatorFromEnv). */
  authenticate: Authenticate;
  timeoutMs?: number;
}>;

type Discovery = {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
};
type Pending = { nonce: string; verifier: string; back: string; expiresAt: number };

const b64u = (b: Buffer) => b.toString('base64url');

export class OidcLoginError extends Error {}

export const createOidcLogin = (options: OidcLoginOptions) => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const pending = new Map<string, Pending>();
  let discovery: Promise<{ doc: Discovery; keys: JWTVerifyGetKey }> | undefined;

  const discover = () =>
    (discovery ??= (async () => {
      const url = `${options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new OidcLoginError(`discovery: status ${response.status}`);
      const doc = (await response.json()) as Discovery;
      if (doc.issuer !== options.issuer) throw new OidcLoginError('discovery names another issuer');
      return { doc, keys: createRemoteJWKSet(new URL(doc.jwks_uri)) };
    })().catch((error: unknown) => {
      discovery = undefined; // try again next time
      throw error;
    }));

  return {
    /** The provider's authorization URL and the state that binds the answer to this browser. */
    async begin(back: string): Promise<{ url: string; state: string }> {
      const { doc } = await discover();
      const now = Date.now();
      for (const [k, p] of pending) if (p.expiresAt < now) pending.delete(k);
      const state = b64u(randomBytes(24));
      const nonce = b64u(randomBytes(24));
      const verifier = b64u(randomBytes(32));
      pending.set(state, { nonce, verifier, back, expiresAt: now + 10 * 60_000 });
      const url = new URL(doc.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: options.redirectUri,
        scope: options.scope ?? 'openid profile',
        state,
        nonce,
        code_challenge: b64u(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), state };
    },

    /** Exchanges the code; the user and their access token, or an OidcLoginError. */
    async complete(params: {
      code: string;
      state: string;
      boundState: string | undefined;
    }): Promise<{ user: User; token: string; expiresInSeconds: number; back: string }> {
      const p = pending.get(params.state);
      pending.delete(params.state);
      if (!p || p.expiresAt < Date.now() || params.boundState !== params.state)
        throw new OidcLoginError('unknown or expired sign-in attempt');
      const { doc, keys } = await discover();
      const response = await fetch(doc.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: params.code,
          redirect_uri: options.redirectUri,
          code_verifier: p.verifier,
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new OidcLoginError(`token endpoint: status ${response.status}`);
      const tokens = (await response.json()) as { access_token?: string; id_token?: string; expires_in?: number };
      if (!tokens.access_token || !tokens.id_token)
        throw new OidcLoginError('token response without access or ID token');
      let idClaims: Record<string, unknown>;
      try {
        ({ payload: idClaims } = await jwtVerify(tokens.id_token, keys, {
          issuer: options.issuer,
          audience: options.clientId,
          clockTolerance: 30,
        }));
      } catch {
        throw new OidcLoginError('the ID token is invalid');
      }
      if (idClaims.nonce !== p.nonce) throw new OidcLoginError('the ID token is not for this sign-in attempt');
      let caller: Awaited<ReturnType<Authenticate>>;
      try {
        caller = await options.authenticate({ headers: { authorization: `Bearer ${tokens.access_token}` } } as never);
      } catch {
        throw new OidcLoginError('the access token is not accepted (issuer, audience or roles)');
      }
      const name =
        [idClaims.name, idClaims.preferred_username].find((v): v is string => typeof v === 'string') ?? caller.subject;
      return {
        user: {
          id: caller.subject,
          name,
          roles: caller.roles,
          ...(caller.organisationId
            ? { organisationId: caller.organisationId, organisationName: caller.organisationId }
            : {}),
          ...(caller.municipality ? { municipality: caller.municipality } : {}),
          ...(caller.municipalAccount ? { municipalAccount: true } : {}),
        },
        token: tokens.access_token,
        expiresInSeconds: Math.max(60, Math.min(tokens.expires_in ?? 3600, 8 * 3600)),
        back: p.back,
      };
    },
  };
};
export type OidcLogin = ReturnType<typeof createOidcLogin>;
