// End to end: the four services as separate processes, through a real Kafka broker and PostgreSQL.
import { startDistributedPlatform } from './testing/distributed';
import { thinSliceSpec } from './testing/thin-slice-spec';

jest.setTimeout(90_000);

describe('thin slice, one process per service, through Kafka', () => {
  thinSliceSpec(async () => {
    const { platform, databaseUrl, prefix } = await startDistributedPlatform('e2e');
    return { platform, databaseUrl, prefix };
  });
});
