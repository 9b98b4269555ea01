import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERASURE_GUARANTEE } from './guarantee';

it('docs/privacy.md states the erasure guarantee in the words the erasure answers with', () => {
  const docs = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'privacy.md'), 'utf8');
  for (const statement of Object.values(ERASURE_GUARANTEE)) expect(docs).toContain(statement);
});
