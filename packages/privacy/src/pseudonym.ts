// Pseudonymous subject ids: a keyed hash (HMAC) of a person's identifier, so services can relate
// facts about one person without holding the identifier. Without the secret the id can't be
// reversed or recomputed from a guessed BSN.
import { createHmac } from 'node:crypto';

/** Same shape as SubjectId in @wor/contracts: /^sub_[0-9a-f]{32}$/. */
export type SubjectId = `sub_${string}`;

export const SUBJECT_ID_PATTERN = /^sub_[0-9a-f]{32}$/;
export const isSubjectId = (value: unknown): value is SubjectId =>
  typeof value === 'string' && SUBJECT_ID_PATTERN.test(value);

/** '1234.56.782 ' and '123456782' are the same person: drop whitespace and dots. */
export const normaliseIdentifier = (identifier: string): string => identifier.trim().replace(/[\s.]/g, '');

export const pseudonymise = (identifier: string, secret: string): SubjectId => {
  if (secret.length === 0) throw new Error('pseudonymise: the secret is empty');
  const normalised = normaliseIdentifier(identifier);
  if (normalised.length === 0) throw new Error('pseudonymise: the identifier is empty');
  const hex = createHmac('sha256', secret).update(normalised, 'utf8').digest('hex');
  return `sub_${hex.slice(0, 32)}`;
};
