// The layering rule in eslint.config.js: a service never imports another service, and a package
// imports no service except the launcher and the test-only packages. Linting a few lines placed at
// real paths of the tree shows the rule fires, and does not fire on what is allowed.
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
// The config is passed in (jest cannot run ESLint's dynamic import of the config file).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(root, 'eslint.config.js'));
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });

const restrictedImports = async (filePath: string, source: string): Promise<string[]> => {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('service boundaries (lint)', () => {
  it.each([
    ['services/referral/src/referral/x.ts', "import { consentRoutes } from '@wor/consent-service';"],
    ['services/referral/src/referral/x.ts', "import { consentDecider } from '../../../consent/src/consent/consent';"],
    ['services/reporting/src/x.ts', "import { createSocialMapService } from '@wor/social-map-service/dist/service';"],
    ['packages/messaging/src/x.ts', "import { createReferralService } from '@wor/referral-service';"],
    ['packages/web/src/x.ts', "import { createReportingService } from '@wor/reporting-service';"],
  ])('%s may not: %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toHaveLength(1);
  });

  it.each([
    ['services/referral/src/referral/x.ts', "import { Topics } from '@wor/contracts';"],
    ['services/social-map/src/directory/x.ts', "import { serviceDecider } from '../services/service';"],
    ['packages/launcher/src/x.ts', "import { createReferralService } from '@wor/referral-service';"],
    ['packages/security-tests/src/x.ts', "import { referralPolicies } from '@wor/referral-service';"],
    ['packages/reliability/src/x.ts', "import { createConsentService } from '@wor/consent-service';"],
  ])('%s may: %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toEqual([]);
  });
});

describe('the event store core (lint)', () => {
  it.each(["import { Pool } from 'pg';", "import { createPostgresEventStore } from '@wor/event-store-postgres';"])(
    'may not: %s',
    async (source) => {
      expect(await restrictedImports('packages/event-store/src/x.ts', source)).toHaveLength(1);
    },
  );
});
