// The web app as its own process (docker-compose): the services' URLs come from the environment.
/* eslint-disable no-console -- a process's own start and stop lines */
import { startWeb } from './start';

const env = process.env;
const url = (name: string, fallback: string) => env[name] ?? fallback;

const main = async () => {
  const web = await startWeb({
    urls: {
      referral: url('REFERRAL_URL', 'http://127.0.0.1:3001'),
      consent: url('CONSENT_URL', 'http://127.0.0.1:3002'),
      'social-map': url('SOCIAL_MAP_URL', 'http://127.0.0.1:3003'),
      reporting: url('REPORTING_URL', 'http://127.0.0.1:3004'),
    },
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    secureCookie: env.WEB_SECURE_COOKIE === 'true',
  });
  console.log(`web listening on ${web.url}`);
  const stop = () => void web.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(`web failed to start: ${(error as Error).message}`);
  process.exit(1);
});
