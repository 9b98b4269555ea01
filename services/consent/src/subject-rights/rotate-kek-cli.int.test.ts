import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyringPath, migrateSubjectKeyStore, openKeyringFile, openSubjectKeyStore, pseudonymise } from '@wor/privacy';
import { databaseUrl, freshSchemaPool } from '@wor/test-support';
import { rotateCommand } from './rotate-kek-cli';

describe('rotate-kek command (real PostgreSQL)', () => {
  it('re-wraps the subject keys with a new KEK, destroys the old one, and re-seals the keyring with the new master key', async () => {
    const { pool, schema, close } = await freshSchemaPool('kek');
    const keyringDir = mkdtempSync(join(tmpdir(), 'kek-cli-'));
    try {
      await migrateSubjectKeyStore(pool, schema);
      const [oldMaster, newMaster] = [randomBytes(32), randomBytes(32)];
      const before = await openSubjectKeyStore({ pool, schema, masterKey: oldMaster, keyringDir });
      const sealed = await before.encryptFor(pseudonymise('1', 's'), { documentReference: 'x' });
      const keks = (master: Buffer) => [
        ...openKeyringFile({ path: keyringPath(keyringDir, schema), masterKey: master })
          .read()!
          .keks.keys(),
      ];
      const oldKeks = keks(oldMaster);
      const env = {
        DATABASE_URL: await databaseUrl(),
        WOR_SCHEMA: schema,
        WOR_MASTER_KEY: newMaster.toString('base64'),
        WOR_PREVIOUS_MASTER_KEYS: oldMaster.toString('base64'),
        WOR_KEYRING_DIR: keyringDir,
      };
      const shown: string[] = [];
      const progress = {
        update: (done: number, total?: number) => shown.push(`${done}/${total}`),
        finish: () => shown.push('done'),
      };
      expect(await rotateCommand(env, () => progress)).toMatchObject({
        code: 0,
        output: expect.stringContaining('"rewrapped":1'),
      });
      expect(shown).toEqual(['0/1', '1/1', 'done']);
      expect(keks(newMaster)).toHaveLength(1);
      expect(keks(newMaster)).not.toEqual(oldKeks);
      const after = await openSubjectKeyStore({ pool, schema, masterKey: newMaster, keyringDir });
      expect(await after.decrypt(sealed)).toEqual({ documentReference: 'x' });
      expect((await rotateCommand({ ...env, WOR_MASTER_KEY: undefined })).code).toBe(2);
      expect((await rotateCommand({ ...env, WOR_KEYRING_DIR: undefined })).output).toMatch(/WOR_KEYRING_DIR/);
    } finally {
      await close();
      rmSync(keyringDir, { recursive: true, force: true });
    }
  });
});
