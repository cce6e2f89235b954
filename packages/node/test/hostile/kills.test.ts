import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { seededRandom } from '@myoseg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PRESET } from '../tiny-preset';
import { filesUnder } from './case';
import { buildWorld, type World } from './world';

/**
 * A `kill -9` or a Ctrl-C at a random (seeded; MYOSEG_KILL_SEED changes it) point of a command of the built CLI
 * never leaves an output that a later command takes for complete: every output there is whole or refused by
 * name, and running the command again gives the uninterrupted run's result.
 */
const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const SEED = Number(process.env.MYOSEG_KILL_SEED ?? 19);
const SIGNALS = ['SIGKILL', 'SIGINT'] as const;

let world: World;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'myoseg-kills-'));
  world = await buildWorld(root);
  await writeFile(join(root, 'tiny.json'), JSON.stringify(TINY_PRESET));
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Runs the CLI; with `killAfterMs`, sends `signal` then. Never runs past `limitMs`. */
async function runCli(args: string[], kill?: { signal: NodeJS.Signals; afterMs: number }): Promise<Exit> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const timers = [
    kill && setTimeout(() => child.kill(kill.signal), kill.afterMs),
    setTimeout(() => child.kill('SIGKILL'), 90_000),
  ];
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  for (const t of timers) clearTimeout(t);
  return { code, signal, stderr, ms: performance.now() - t0 };
}

/** The contents of every file under `dir` (none when it does not exist), by relative path. */
/** A file's bytes (base64); a `<name>.study.json` record without its timing fields, which differ run to run. */
function studyRecordTimeless(file: string, bytes: Buffer): string {
  if (!file.endsWith('.study.json')) return bytes.toString('base64');
  try {
    const { seconds: _s, finishedAt: _f, ...rest } = JSON.parse(bytes.toString('utf8'));
    return JSON.stringify(rest);
  } catch {
    return bytes.toString('base64'); // a partial record stays as it is, and differs
  }
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = await filesUnder(dir).catch(() => [] as string[]);
  const entries = await Promise.all(
    files.map(async (f) => [f, studyRecordTimeless(f, await readFile(join(dir, f)))] as const),
  );
  return new Map(entries);
}

/** What one command writes, and how to tell its output is whole. */
interface Killable {
  /** The command line writing to `out`. */
  argv: (out: string) => string[];
  /** The output as compared between runs (default: every file's bytes). */
  result?: (out: string) => Promise<unknown>;
  /** Checks what a killed run left, before the rerun. */
  afterKill: (out: string, reference: Map<string, string>, signal: NodeJS.Signals) => Promise<void>;
}

/** Every file left is one of the reference run's, byte for byte; a kill -9 may also leave myoseg's temporaries. */
const onlyWholeFiles = async (out: string, reference: Map<string, string>, signal: NodeJS.Signals) => {
  for (const [file, bytes] of await snapshot(out)) {
    if (signal === 'SIGKILL' && /\.tmp(-[0-9a-f]+\/|$)/.test(file)) continue;
    expect(reference.get(file), `${file} left by the ${signal} run`).toBe(bytes);
  }
};

const modelResult = async (out: string) => {
  const manifest = JSON.parse(await readFile(join(out, 'myoseg.json'), 'utf8'));
  delete manifest.createdAt;
  return manifest;
};

const commands: Record<string, Killable> = {
  segment: {
    argv: (out) => ['segment', world.cohort, '--model', world.model, '--out', out, '--png'],
    afterKill: onlyWholeFiles,
  },
  synth: {
    argv: (out) => ['synth', '--patients', '4', '--seed', '2', '--out', out],
    afterKill: async (out, reference, signal) => {
      const manifest = await readFile(join(out, '.myoseg-output.json'), 'utf8').catch(() => null);
      if (manifest === null || JSON.parse(manifest).complete === false) {
        // not finished: refused as --data, by name
        const refused = await runCli([
          'evaluate',
          '--data',
          out,
          '--model',
          world.model,
          '--out',
          `${out}-eval`,
        ]);
        expect(refused.code, refused.stderr).toBe(2);
        expect(refused.stderr).toMatch(
          manifest === null ? /holds no patientNNN|is not a folder/ : /unfinished myoseg twin-cohort/,
        );
      }
      // every patient folder there is whole
      for (const [file, bytes] of await snapshot(out)) {
        if (file === '.myoseg-output.json' || (signal === 'SIGKILL' && /\/\.patient\d+\.tmp-/.test(file)))
          continue;
        expect(reference.get(file), file).toBe(bytes);
      }
    },
  },
  train: {
    argv: (out) => [
      'train',
      '--data',
      world.cohort,
      '--preset',
      join(root, 'tiny.json'),
      '--no-filters',
      '--threads',
      '1',
      '--out',
      out,
    ],
    result: modelResult,
    afterKill: async (out, _, signal) => {
      const manifest = await readFile(join(out, 'myoseg.json'), 'utf8').catch(() => null);
      if (manifest !== null && JSON.parse(manifest).complete) return;
      // no model, or one that says it is incomplete: segment refuses it by name
      const refused = await runCli(['segment', world.cohort, '--model', out, '--out', `${out}-masks`]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        manifest === null ? /not a myoseg model folder/ : /"complete": false.*--allow-incomplete/,
      );
      expect(signal === 'SIGINT' || manifest === null).toBe(true);
    },
  },
  evaluate: {
    argv: (out) => ['evaluate', '--data', world.cohort, '--model', world.model, '--out', out],
    result: (out) => readFile(join(out, 'evaluation.json'), 'utf8'),
    afterKill: async (out, reference, signal) => {
      const marked = await readFile(join(out, '.myoseg-output.json'), 'utf8').catch(() => null);
      if (marked !== null) await onlyWholeFiles(out, reference, signal);
    },
  },
};

describe('kill -9 and Ctrl-C at a random point, then the same command again', () => {
  Object.entries(commands).forEach(([name, command], c) => {
    it(`${name}: what is left is whole or refused by name; the rerun gives the uninterrupted result`, async () => {
      const reference = join(root, `${name}-reference`);
      const whole = await runCli(command.argv(reference));
      expect(whole.code, whole.stderr).toBe(0);
      const expected = await (command.result ?? snapshot)(reference);
      const random = seededRandom(SEED + c);
      for (const signal of SIGNALS) {
        const out = join(root, `${name}-${signal}`);
        const afterMs = Math.round(whole.ms * (0.25 + 0.75 * random()));
        const killed = await runCli(command.argv(out), { signal, afterMs });
        const where = `${signal} after ${afterMs} ms of ${Math.round(whole.ms)}`;
        expect(killed.stderr, where).not.toMatch(/^\s+at /m);
        await command.afterKill(out, await snapshot(reference), signal);
        if (signal === 'SIGINT') {
          // Ctrl-C leaves no temporary file, nor a temporary folder beside the output
          const inside = (await filesUnder(out).catch(() => [] as string[])).filter((f) =>
            f.includes('.tmp'),
          );
          const beside = (await readdir(root)).filter((n) => n.startsWith(`.${basename(out)}.`));
          expect([...inside, ...beside], where).toEqual([]);
        }
        const again = await runCli(command.argv(out));
        expect(again.code, `${where}, then: ${again.stderr}`).toBe(0);
        expect(await (command.result ?? snapshot)(out), where).toEqual(expected);
      }
    }, 180_000);
  });
});
