import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { World } from './world';

/** What a case's setup, argv and checks get: the shared world and a fresh folder of its own. */
export interface CaseContext {
  /** Built once for the whole suite; cases never change it. */
  world: World;
  /** This case's own, empty folder. */
  dir: string;
}

/** What the CLI printed in one run. */
export interface CaseRun {
  /** stdout lines. */
  out: string[];
  /** stderr lines. */
  err: string[];
}

/** One hostile input: how to set it up, the command line, and what must come out. */
export interface HostileCase {
  /** What is hostile about it. */
  name: string;
  /** Writes the case's inputs into `c.dir`. */
  setup?: (c: CaseContext) => Promise<void>;
  /** The `myoseg` arguments. */
  argv: (c: CaseContext) => string[];
  /** The exit code. */
  exit: 0 | 1 | 2;
  /** A fragment stderr must hold. */
  stderr?: RegExp;
  /** A fragment stdout must hold. */
  stdout?: RegExp;
  /** Paths (relative to the case's folder) that must exist afterwards. */
  present?: string[];
  /** Paths (relative to the case's folder) that must not. */
  absent?: string[];
  /** Further checks. */
  check?: (c: CaseContext, run: CaseRun) => Promise<void>;
}

/** Writes `content` at `rel` in the case's folder, creating folders. */
export async function put(c: CaseContext, rel: string, content: Uint8Array | string): Promise<void> {
  await mkdir(dirname(join(c.dir, rel)), { recursive: true });
  await writeFile(join(c.dir, rel), content);
}

/** A symbolic link at `rel` in the case's folder to `target` (as given: relative targets resolve from the link). */
export async function link(c: CaseContext, rel: string, target: string): Promise<void> {
  await mkdir(dirname(join(c.dir, rel)), { recursive: true });
  await symlink(target, join(c.dir, rel));
}

/** `myoseg segment INPUTS --model <world's> --out <case>/out` (inputs relative to the case's folder). */
export const segment =
  (inputs: string[], ...extra: string[]) =>
  (c: CaseContext): string[] => [
    'segment',
    ...inputs.map((i) => join(c.dir, i)),
    '--model',
    c.world.model,
    '--out',
    join(c.dir, 'out'),
    ...extra,
  ];

/** Every file under `dir`, relative, folders walked (symbolic links not followed). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}
