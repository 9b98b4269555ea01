#!/usr/bin/env node
// Prints a development bearer token signed by the development issuer of @wor/service-kit.
//   npm run token -- --role coach --org org-1 [--role coordinator] [--municipality GM0363 [--municipal-account]] [--sub alice] [--ttl 1h]
// The issuer key: WOR_DEV_ISSUER_KEY when set (must match the services), else the one `npm start` keeps in
// .data/secrets.json. Services configured with OIDC_ISSUER do not accept these tokens.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const usage = `Usage: node scripts/token.js --role <role> [--role <role>...] [--org <id>] [--municipality GM9999 [--municipal-account]] [--sub <id>] [--ttl 1h]
Roles: gp-system, referrer, coach, coordinator, key-user, privacy-officer, reporting-consumer, admin`;

const loadServiceKit = () => {
  const dist = path.join(__dirname, '..', 'packages', 'service-kit', 'dist', 'index.js');
  try {
    return require(dist);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND') {
      console.error('packages/service-kit is not built: run `npm run build` first.');
      process.exit(1);
    }
    throw error;
  }
};

const devIssuerKey = () => {
  if (process.env.WOR_DEV_ISSUER_KEY) return process.env.WOR_DEV_ISSUER_KEY;
  try {
    return JSON.parse(
      fs.readFileSync(
        path.join(process.env.WOR_DATA_DIR || path.join(__dirname, '..', '.data'), 'secrets.json'),
        'utf8',
      ),
    ).WOR_DEV_ISSUER_KEY;
  } catch {
    return undefined;
  }
};

const main = async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        role: { type: 'string', multiple: true },
        org: { type: 'string' },
        municipality: { type: 'string' },
        'municipal-account': { type: 'boolean' },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        expires: { type: 'string' }, // the old name of --ttl
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  // --role a,b and --role a --role b both work.
  const roles = (values.role ?? [])
    .flatMap((r) => r.split(','))
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) {
    console.error(`At least one --role is required.\n${usage}`);
    process.exit(2);
  }
  const { createDevIssuer, isRole } = loadServiceKit();
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) {
    console.error(`Unknown role(s): ${unknown.join(', ')}\n${usage}`);
    process.exit(2);
  }
  if (values.municipality !== undefined && !/^GM\d{4}$/.test(values.municipality)) {
    console.error('--municipality must look like GM0363');
    process.exit(2);
  }
  const key = devIssuerKey();
  if (!key) {
    console.error(
      'No development issuer key: run `npm start` once (it keeps one in .data/secrets.json) or set WOR_DEV_ISSUER_KEY.',
    );
    process.exit(1);
  }
  const issuer = createDevIssuer({ key });
  const token = await issuer.sign(
    {
      sub: values.sub ?? `dev-${roles[0]}`,
      roles,
      ...(values.org === undefined ? {} : { org: values.org }),
      ...(values.municipality === undefined ? {} : { municipality: values.municipality }),
      ...(values['municipal-account'] ? { municipalAccount: true } : {}),
    },
    values.ttl ?? values.expires ?? '1h',
  );
  process.stdout.write(`${token}\n`);
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
