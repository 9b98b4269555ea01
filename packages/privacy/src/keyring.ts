// The key-encryption keys (KEKs) that wrap the subject keys live in a keyring file outside the
// database, sealed with the master key. They cannot live in PostgreSQL: it never overwrites a row in
// place, so every KEK it ever held would stay in its WAL and dead tuples, as every wrapped subject key
// does. An erasure holds on disk once the KEK that wrapped those old copies is gone from this file.
// Rewriting the file replaces it atomically and then overwrites the old bytes, so no earlier version
// stays readable through the file system.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { gcmOpen, gcmSeal, KEY_BYTES, packBox, unpackBox } from './sealed';

export type Kek = Readonly<{ id: string; key: Buffer }>;

/** A KEK's id: a fingerprint of it, safe to store next to what it wrapped. */
export const kekId = (kek: Buffer): string =>
  createHash('sha256').update('wor:kek-id:v1').update(kek).digest('hex').slice(0, 16);

export const newKek = (): Kek => {
  const key = randomBytes(KEY_BYTES);
  return { id: kekId(key), key };
};

export type KeyringState = Readonly<{
  /** The KEK new subject keys are wrapped with. */
  current: Kek;
  /** Every KEK in the file, the current one included (more than one only during a rotation). */
  keks: ReadonlyMap<string, Kek>;
  /** Sealed with one of the previous master keys: rewrite it to seal it with the current one. */
  sealedWithPrevious: boolean;
}>;

export type KeyringFile = Readonly<{
  path: string;
  /** The file as it is now; re-read whenever it changed (also when another process rewrote it). */
  read(): KeyringState | undefined;
  /** Replaces the file with these KEKs, sealed with the current master key; earlier bytes are overwritten. */
  write(current: Kek, others?: readonly Kek[]): void;
  /** Overwrites what an interrupted write left behind (a temporary file, the retired version). */
  cleanUp(): void;
}>;

const FORMAT = 'wor-keyring/v1';
type Stored = { format: typeof FORMAT; masterKeyId: string; sealed: string };
type Content = { current: string; keks: { id: string; key: string }[] };

const fsyncDirectory = (dir: string) => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/** Overwrites a file's bytes in place, then removes it. */
export const scrubFile = (path: string): void => {
  const fd = openSync(path, 'r+');
  try {
    const { size } = fstatSync(fd);
    if (size > 0) writeSync(fd, Buffer.alloc(size), 0, size, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
};

let ephemeral: string | undefined;
/** A keyring directory that lives as long as the machine's temporary files: for tests and throwaway runs only. */
export const ephemeralKeyringDir = (): string => (ephemeral ??= mkdtempSync(join(tmpdir(), 'wor-keyring-')));

/** The keyring file of one service's subject keys (one per database schema). */
export const keyringPath = (dir: string, name: string): string => join(dir, `${name}.keyring.json`);

export const openKeyringFile = (options: {
  path: string;
  masterKey: Buffer;
  previousMasterKeys?: readonly Buffer[];
}): KeyringFile => {
  const { path, masterKey } = options;
  const masters = new Map([masterKey, ...(options.previousMasterKeys ?? [])].map((k) => [kekId(k), k] as const));
  const aad = `wor:keyring:v1:${basename(path)}`;
  let cached: { stamp: string; state: KeyringState } | undefined;

  const forget = () => {
    // Old KEKs should not outlive their file in this process's memory either.
    for (const kek of cached?.state.keks.values() ?? []) kek.key.fill(0);
    cached = undefined;
  };

  const parse = (text: string): KeyringState => {
    const stored = JSON.parse(text) as Stored;
    if (stored.format !== FORMAT) throw new Error(`${path} is not a keyring (${FORMAT})`);
    const master = masters.get(stored.masterKeyId);
    if (!master)
      throw new Error(
        `The keyring ${path} is sealed with a master key that is neither WOR_MASTER_KEY nor one of WOR_PREVIOUS_MASTER_KEYS`,
      );
    const content = JSON.parse(
      gcmOpen(master, unpackBox(Buffer.from(stored.sealed, 'base64')), aad, 'keyring').toString('utf8'),
    ) as Content;
    const keks = new Map(
      content.keks.map(({ id, key }) => {
        const bytes = Buffer.from(key, 'base64');
        if (bytes.length !== KEY_BYTES || kekId(bytes) !== id) throw new Error(`The keyring ${path} is damaged`);
        return [id, { id, key: bytes }] as const;
      }),
    );
    const current = keks.get(content.current);
    if (!current) throw new Error(`The keyring ${path} is damaged`);
    return { current, keks, sealedWithPrevious: master !== masterKey };
  };

  return {
    path,
    read: () => {
      if (!existsSync(path)) {
        forget();
        return undefined;
      }
      const { ino, size, mtimeMs } = statSync(path);
      const stamp = `${ino}:${size}:${mtimeMs}`;
      if (cached?.stamp !== stamp) {
        const state = parse(readFileSync(path, 'utf8'));
        forget();
        cached = { stamp, state };
      }
      return cached.state;
    },
    write: (current, others = []) => {
      const keks = [current, ...others.filter((k) => k.id !== current.id)];
      const content: Content = {
        current: current.id,
        keks: keks.map((k) => ({ id: k.id, key: k.key.toString('base64') })),
      };
      const sealed = packBox(gcmSeal(masterKey, Buffer.from(JSON.stringify(content), 'utf8'), aad));
      const stored: Stored = { format: FORMAT, masterKeyId: kekId(masterKey), sealed: sealed.toString('base64') };
      const dir = dirname(path);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(stored));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      // Keep a second name for the old version, so its bytes can be overwritten once the new one is in place.
      const retired = `${path}.retired`;
      if (existsSync(retired)) unlinkSync(retired);
      const hadOld = existsSync(path);
      if (hadOld) linkSync(path, retired);
      renameSync(temporary, path);
      fsyncDirectory(dir);
      if (hadOld) scrubFile(retired);
      fsyncDirectory(dir);
    },
    cleanUp: () => {
      const dir = dirname(path);
      if (!existsSync(dir)) return;
      const retired = `${path}.retired`;
      if (existsSync(retired)) {
        // The same file as the current one (interrupted before the rename): only the name goes.
        if (existsSync(path) && statSync(retired).ino === statSync(path).ino) unlinkSync(retired);
        else scrubFile(retired);
      }
      for (const name of readdirSync(dir)) if (name.startsWith(`${basename(path)}.tmp-`)) scrubFile(join(dir, name));
    },
  };
};
