// The web app as its own process (docker-compose, production): the services' URLs come from the
// environment. Sign-in: OIDC when WEB_OIDC_CLIENT_ID is set (with the services' OIDC_* settings),
// else the development identity provider (demo users, WOR_DEV_ISSUER_KEY).
/* eslint-disable no-console -- a process's own start and stop lines */
import './instrumentation';
import { authenticatorFromEnv } from '@wor/service-kit';
import { createOidcLogin } from './oidc';
import { startWeb } from './start';

const env = process.env;
const url = (name: string, fallback: string) => env[name] ?? fallback;
const required = (name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is required with WEB_OIDC_CLIENT_ID`);
  return value;
};

const main = async () => {
  const publicUrl = env.WEB_PUBLIC_URL;
  const oidc = env.WEB_OIDC_CLIENT_ID
    ? createOidcLogin({
        issuer: required('OIDC_ISSUER'),
        clientId: env.WEB_OIDC_CLIENT_ID,
        clientSecret: required('WEB_OIDC_CLIENT_SECRET'),
        redirectUri: `${required('WEB_PUBLIC_URL').replace(/\/+$/, '')}/aanmelden/oidc`,
        scope: env.WEB_OIDC_SCOPE ?? 'openid profile',
        authenticate: authenticatorFromEnv(env),
      })
    : undefined;
  const web = await startWeb({
    urls: {
      referral: url('REFERRAL_URL', 'http://127.0.0.1:3001'),
      consent: url('CONSENT_URL', 'http://127.0.0.1:3002'),
      'social-map': url('SOCIAL_MAP_URL', 'http://127.0.0.1:3003'),
      reporting: url('REPORTING_URL', 'http://127.0.0.1:3004'),
    },
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    secureCookie: env.WEB_SECURE_COOKIE === 'true' || (publicUrl?.startsWith('https://') ?? false),
    ...(oidc ? { oidc } : {}),
  });
  console.log(
    `web listening on ${web.url} (sign-in: ${oidc ? `OIDC ${env.OIDC_ISSUER}` : 'development identity provider'})`,
  );
  const stop = () => void web.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(`web failed to start: ${(error as Error).message}`);
  process.exit(1);
});
