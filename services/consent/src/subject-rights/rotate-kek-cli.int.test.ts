import { randomBytes } from 'node:crypto';
import { createSubjectKeyStore, migrateSubjectKeyStore, pseudonymise } from '@wor/privacy';
import { freshSchemaPool } from '@wor/test-support';
import { rotateCommand } from './rotate-kek-cli';

describe('rotate-kek command (real PostgreSQL)', () => {
  it('re-wraps the subject keys with the new KEK; data stays readable with the new KEK alone', async () => {
    const { pool, schema, close } = await freshSchemaPool('kek');
    try {
      await migrateSubjectKeyStore(pool, schema);
      const [oldKek, newKek] = [randomBytes(32), randomBytes(32)];
      const sealed = await createSubjectKeyStore({ pool, schema, masterKey: oldKek }).encryptFor(
        pseudonymise('1', 's'),
        { documentReference: 'x' },
      );
      const env = {
        DATABASE_URL: process.env.DATABASE_URL,
        WOR_SCHEMA: schema,
        WOR_MASTER_KEY: newKek.toString('base64'),
        WOR_PREVIOUS_MASTER_KEYS: oldKek.toString('base64'),
      };
      expect(await rotateCommand(env)).toMatchObject({ code: 0, output: expect.stringContaining('"rewrapped":1') });
      expect(await createSubjectKeyStore({ pool, schema, masterKey: newKek }).decrypt(sealed)).toEqual({
        documentReference: 'x',
      });
      expect((await rotateCommand({ ...env, WOR_MASTER_KEY: undefined })).code).toBe(2);
    } finally {
      await close();
    }
  });
});
