// Child processes of the fault tests: spawn, watch for a line, kill hard, wait for the exit.
import { spawn, type ChildProcess } from 'node:child_process';

export type Child = Readonly<{
  name: string;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves at the first stdout line matching. */
  line: (pattern: RegExp) => Promise<string>;
}>;

export const spawnNode = (name: string, script: string, env: Record<string, string>, args: string[] = []): Child => {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      for (const w of [...waiting]) {
        if (w.pattern.test(text)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(text);
        }
      }
    }
  });
  // Only problems reach stderr (workers log at warn); keep them visible for a failing run.
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.RELIABILITY_VERBOSE) process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
  });
  return {
    name,
    process: child,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    line: (pattern) => new Promise((resolve) => waiting.push({ pattern, resolve })),
  };
};

export const killHard = async (child: Child): Promise<void> => {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
};

/** mulberry32: a tiny seeded PRNG, so a failing chaos run can be replayed with its seed. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
