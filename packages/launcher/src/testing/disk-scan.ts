// An attacker's view of an erased person: every file under the given roots (a PostgreSQL data
// directory with its WAL, the keyrings, secrets.json) is read once and searched for byte patterns —
// the person's plaintext, their subject id (a subject key's row starts with it), a KEK id's tail,
// hex and base64 text — which yield every wrapped key and key-like value on disk. Each is then tried
// with every key the platform holds or the files reveal, to open the person's sealed data.
import { createDecipheriv } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kekId, KEY_BYTES, openKeyringFile } from '@wor/privacy';

/** `store`: the schema it came from (one data key per person and store). */
export type Sealed = Readonly<{ subjectId: string; iv: string; tag: string; ciphertext: string; store?: string }>;

export type ScanTarget = Readonly<{
  subjectId: string;
  /** Their personal data in clear: none of it may appear in any file. */
  plaintexts: readonly string[];
  /** Their sealed data (from the event stores): none of it may open. */
  sealed: readonly Sealed[];
}>;

export type ScanResult = Readonly<{
  files: number;
  bytes: number;
  walFiles: number;
  /** Wrapped-key candidates and keys tried. */
  candidates: number;
  keys: number;
  ms: number;
  plaintextFound: readonly { file: string; text: string }[];
  /** The erased person's sealed data opened: how. */
  recovered: readonly string[];
  /** The control person's sealed data opened from the files (proves the scan finds live keys). */
  controlRecovered: boolean;
}>;

const WRAPPED_BYTES = 12 + 16 + KEY_BYTES;
const subjectKeyAad = (subjectId: string) => Buffer.from(`wor:subject-key:v1:${subjectId}`);
const dataAad = (subjectId: string) => Buffer.from(`wor:personal-data:v1:${subjectId}`);

const open = (key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer | undefined => {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
};
const unwrap = (kek: Buffer, wrapped: Buffer, subjectId: string) =>
  open(kek, wrapped.subarray(0, 12), wrapped.subarray(12, 28), wrapped.subarray(28), subjectKeyAad(subjectId));
const openSealed = (key: Buffer, s: Sealed) =>
  open(
    key,
    Buffer.from(s.iv, 'base64'),
    Buffer.from(s.tag, 'base64'),
    Buffer.from(s.ciphertext, 'base64'),
    dataAad(s.subjectId),
  );

/** A live server drops files while we walk it (other tests' tables): a file that is gone holds nothing to recover. */
const gone = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

const filesUnder = (root: string): string[] => {
  let stat;
  try {
    stat = lstatSync(root);
  } catch (error) {
    if (gone(error)) return [];
    throw error;
  }
  if (stat.isFile()) return [root];
  if (!stat.isDirectory()) return []; // sockets, links: not data
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (error) {
    if (gone(error)) return [];
    throw error;
  }
  return names.flatMap((name) => filesUnder(join(root, name)));
};

/** Every string in a JSON document. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(stringsOf)
      : [];

export const scanForErasedPerson = (options: {
  roots: readonly string[];
  target: ScanTarget;
  control: ScanTarget;
  /** The PostgreSQL data directories among the roots. */
  databaseRoots: readonly string[];
  /** Keys the platform holds outside the files (the master key from the environment). */
  masterKeys: readonly Buffer[];
}): ScanResult => {
  const started = Date.now();
  const { target, control } = options;
  const anchors = [target.subjectId, control.subjectId].map((id) => Buffer.from(id, 'latin1'));
  const needles = target.plaintexts.map((text) => ({ text, bytes: Buffer.from(text, 'utf8') }));
  /** Wrapped-key candidates; `kekId`: the KEK its row names (a re-wrap's WAL record), else any. */
  const wrapped = new Map<string, { bytes: Buffer; kekId?: string }>();
  // Keys the platform holds (master keys, KEKs, key-like values in its own files) unwrap candidates;
  // key-like values inside the database files are tried on the sealed data directly.
  const platformKeys = new Map<string, Buffer>(options.masterKeys.map((k) => [k.toString('hex'), k]));
  const dataKeyCandidates = new Map<string, Buffer>();
  const keyringFiles: string[] = [];
  const plaintextFound: { file: string; text: string }[] = [];
  let files = 0;
  let bytes = 0;
  let walFiles = 0;

  const addWrapped = (candidate: Buffer, kekId?: string) => {
    if (candidate.length !== WRAPPED_BYTES) return;
    const key = candidate.toString('hex');
    const known = wrapped.get(key);
    if (!known || (known.kekId && kekId !== known.kekId))
      wrapped.set(key, { bytes: Buffer.from(candidate), ...(known || !kekId ? {} : { kekId }) });
  };
  const addKey = (into: Map<string, Buffer>, candidate: Buffer) => {
    if (candidate.length === KEY_BYTES) into.set(candidate.toString('hex'), Buffer.from(candidate));
  };

  /** Every keyring found, opened with every key the platform holds: its KEKs become keys to try. */
  const openKeyrings = (): Map<string, Buffer> => {
    for (const file of keyringFiles)
      for (const masterKey of [...platformKeys.values()]) {
        try {
          for (const kek of openKeyringFile({ path: file, masterKey }).read()!.keks.values())
            addKey(platformKeys, kek.key);
        } catch {
          // sealed with another key
        }
      }
    return new Map([...platformKeys.values()].map((k) => [kekId(k), k] as const));
  };

  /** Files up to this size are read as one text, as always; only larger ones (heap segments) in windows. */
  const TEXT_WINDOW = 256 * 1024 * 1024;
  /** More than the longest text form (a bytea hex of a wrapped key: 122 characters). */
  const WINDOW_OVERLAP = 256;

  const scanFile = (file: string, inDatabase: boolean, keks: ReadonlyMap<string, Buffer> | undefined) => {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (error) {
      if (gone(error)) return;
      throw error;
    }
    files += 1;
    bytes += content.length;
    if (/pg_wal[/\\][0-9A-F]{24}$/.test(file)) walFiles += 1;
    for (const { text, bytes: needle } of needles) if (content.includes(needle)) plaintextFound.push({ file, text });
    // A subject key's tuple (heap, dead tuple, WAL record): the subject id, then the wrapped key
    // behind its 1-byte length header (0x7b: 60 bytes); a few bytes of slack for other layouts.
    for (const anchor of anchors)
      for (let at = content.indexOf(anchor); at >= 0; at = content.indexOf(anchor, at + 1))
        for (let header = at + anchor.length; header <= at + anchor.length + 8; header += 1)
          if (content[header] === 0x7b) addWrapped(content.subarray(header + 1, header + 1 + WRAPPED_BYTES));
    // The text forms in windows: a heap segment can be larger (1 GB) than a string may be; windows
    // overlap by more than the longest form, and what is found twice counts once (sets).
    const keyLike = inDatabase ? dataKeyCandidates : platformKeys;
    for (let from = 0; from < content.length; from += TEXT_WINDOW) {
      const start = Math.max(0, from - WINDOW_OVERLAP);
      const text = content.toString('latin1', start, Math.min(content.length, from + TEXT_WINDOW));
      // A WAL record of a re-wrap may omit the unchanged subject id; the kek_id text after the key
      // (varlena header 0x23, 16 hex digits), behind the 8-byte created_at and its alignment, remains.
      // Only a KEK with that id can unwrap it, so only rows naming a KEK we hold are kept.
      for (const match of text.matchAll(/\x23([0-9a-f]{16})/g))
        if (!keks || keks.has(match[1]!))
          for (let pad = 0; pad < 8; pad += 1) {
            const end = start + match.index - 8 - pad;
            if (end >= WRAPPED_BYTES) addWrapped(content.subarray(end - WRAPPED_BYTES, end), match[1]);
          }
      // Text forms (dumps, logs, JSON): bytea hex and base64.
      for (const match of text.matchAll(/\\x([0-9a-f]{120})/g)) addWrapped(Buffer.from(match[1]!, 'hex'));
      for (const match of text.matchAll(/[A-Za-z0-9+/]{80}/g)) addWrapped(Buffer.from(match[0], 'base64'));
      for (const match of text.matchAll(/[A-Za-z0-9+/_-]{43}=?/g))
        addKey(keyLike, Buffer.from(match[0].replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
      for (const match of text.matchAll(/[0-9a-f]{64}/g)) addKey(keyLike, Buffer.from(match[0], 'hex'));
    }
    if (content.length < 1_000_000 && content[0] === 0x7b /* { */) {
      try {
        const json: unknown = JSON.parse(content.toString('utf8'));
        if ((json as { format?: string }).format === 'wor-keyring/v1') keyringFiles.push(file);
        for (const s of stringsOf(json)) addKey(keyLike, Buffer.from(s, 'base64'));
      } catch {
        // not JSON
      }
    }
  };

  // The platform's own files first (keyrings, secrets): the keys they hold are all the KEKs there are.
  const all = options.roots.flatMap(filesUnder);
  const inDatabase = (file: string) => options.databaseRoots.some((r) => file.startsWith(join(r, '/')));
  for (const file of all.filter((f) => !inDatabase(f))) scanFile(file, false, undefined);
  const keks = openKeyrings();
  for (const file of all.filter(inDatabase)) scanFile(file, true, keks);

  const recovered: string[] = [];
  let controlRecovered = false;
  const tryPerson = (person: ScanTarget, onOpen: (how: string) => void) => {
    // A data key opens all of the person's sealed values in its store: one of each store suffices.
    const onePerStore = [...new Map(person.sealed.map((s) => [s.store ?? s.ciphertext, s])).values()];
    for (const key of [...keks.values(), ...dataKeyCandidates.values()])
      for (const s of onePerStore) if (openSealed(key, s)) onOpen('a key-like value opened sealed data directly');
    for (const candidate of wrapped.values())
      for (const kek of candidate.kekId ? [keks.get(candidate.kekId)].filter((k) => k !== undefined) : keks.values()) {
        const dataKey = unwrap(kek, candidate.bytes, person.subjectId);
        if (!dataKey) continue;
        for (const s of person.sealed) if (openSealed(dataKey, s)) onOpen('a wrapped subject key found on disk');
      }
  };
  tryPerson(target, (how) => recovered.push(how));
  tryPerson(control, () => (controlRecovered = true));

  return {
    files,
    bytes,
    walFiles,
    candidates: wrapped.size,
    keys: keks.size + dataKeyCandidates.size,
    ms: Date.now() - started,
    plaintextFound,
    recovered,
    controlRecovered,
  };
};
