// One development issuer for the whole local platform: the key kept in .data/secrets.json, and
// `npm run token` (scripts/token.js) signing tokens the services accept.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDevIssuer, generateDevIssuerKey } from '@wor/service-kit';
import { loadOrCreateSecrets } from './secrets';

const TOKEN_SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'token.js');
const run = promisify(execFile);

describe('development issuer key in .data/secrets.json', () => {
  it('is generated with the other secrets, kept, and added to a file from before it existed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wor-secrets-'));
    const fresh = loadOrCreateSecrets(join(dir, 'fresh.json'), {});
    expect(fresh.WOR_DEV_ISSUER_KEY).toMatch(/^[\w-]{43}$/);
    expect(loadOrCreateSecrets(join(dir, 'fresh.json'), {})).toEqual(fresh);

    const old = {
      WOR_PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      WOR_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    writeFileSync(join(dir, 'old.json'), JSON.stringify(old));
    const upgraded = loadOrCreateSecrets(join(dir, 'old.json'), {});
    expect(upgraded).toMatchObject(old); // data encrypted with the old secrets stays readable
    const { WOR_KEYRING_DIR, ...stored } = upgraded;
    expect(JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8'))).toEqual(stored);
    // The keyrings sit next to the secrets, not in them (and not in the database).
    expect(WOR_KEYRING_DIR).toBe(join(dir, 'keyring'));
  });
});

describe('npm run token', () => {
  it('prints a token the services accept, with every claim asked for', async () => {
    const key = generateDevIssuerKey();
    const { stdout } = await run(
      process.execPath,
      [
        TOKEN_SCRIPT,
        '--role',
        'key-user,coach',
        '--org',
        'welzijn-beterstad',
        '--municipality',
        'GM9999',
        '--municipal-account',
        '--sub',
        'ku-1',
        '--ttl',
        '5m',
      ],
      { env: { ...process.env, WOR_DEV_ISSUER_KEY: key } },
    );
    const token = stdout.trim();
    const caller = await createDevIssuer({ key }).authenticate({
      headers: { authorization: `Bearer ${token}` },
    } as never);
    expect(caller).toEqual({
      subject: 'ku-1',
      roles: ['key-user', 'coach'],
      organisationId: 'welzijn-beterstad',
      municipality: 'GM9999',
      municipalAccount: true,
    });
    const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
    };
    expect(exp - iat).toBe(300);
    // Another key: refused.
    await expect(
      createDevIssuer({ key: generateDevIssuerKey() }).authenticate({
        headers: { authorization: `Bearer ${token}` },
      } as never),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('refuses unknown roles', async () => {
    const failed = await run(process.execPath, [TOKEN_SCRIPT, '--role', 'root'], {
      env: { ...process.env, WOR_DEV_ISSUER_KEY: generateDevIssuerKey() },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown role') });
  });
});
