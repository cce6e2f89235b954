import { constants } from 'node:fs';
import { access, lstat, mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { removeStaleTemporaries, temporaryFileTarget, writeFileAtomic } from '@myoseg/datasets/node';
import { InputError, OutputFolderError } from '../errors';

/** The file in every folder myoseg writes whole, naming its kind and the entries it wrote. */
export const OUTPUT_MANIFEST = '.myoseg-output.json';

/**
 * What a folder that myoseg writes whole holds: a model folder (`myoseg train`), a training checkpoint, a tfjs
 * model (`fileHandler`), a demo run, an evaluation, a synthetic cohort.
 */
export type OutputKind = 'model' | 'checkpoint' | 'tfjs-model' | 'demo-run' | 'evaluation' | 'twin-cohort';

/**
 * The entries each kind of folder holds (a run folder's manifest lists these), and held before folders carried an
 * {@link OUTPUT_MANIFEST}: a folder without a manifest that holds only these is taken as a myoseg output of that
 * kind.
 */
const KIND_ENTRIES: Readonly<Record<OutputKind, readonly string[]>> = {
  model: ['myoseg.json', 'localizer', 'segmenter', 'localizer.onnx', 'segmenter.onnx'],
  checkpoint: ['checkpoint.json', 'current.bin', 'localizer.bin'],
  'tfjs-model': ['model.json', 'weights.bin'],
  'demo-run': [
    'model',
    'data',
    'metrics.json',
    'metrics.csv',
    'report.json',
    'report.html',
    'overlay-best.png',
    'overlay-median.png',
    'overlay-worst.png',
  ],
  evaluation: ['evaluation.json', 'slices.csv', 'frames.csv'],
  'twin-cohort': ['training', 'testing'],
};

/** The contents of {@link OUTPUT_MANIFEST}. */
export interface OutputManifest {
  /** What the folder is. */
  kind: OutputKind;
  /** The top-level entries myoseg wrote there (files and folders). */
  entries: string[];
  /** `false` while a run is still writing the folder (see {@link startRunFolder}); absent once it is whole. */
  complete?: false;
}

/** The distinct top-level names of relative paths (`a/b.txt` → `a`), sorted. */
export function topLevelEntries(paths: Iterable<string>): string[] {
  return [...new Set([...paths].map((p) => p.split(/[/\\]/)[0]))].sort();
}

/**
 * {@link OUTPUT_MANIFEST}'s text for a folder of `kind` holding the top-level `entries`; `complete: false` marks a
 * folder that a run is still writing.
 */
export function outputManifest(
  kind: OutputKind,
  entries: readonly string[],
  options: { complete?: false } = {},
): string {
  return `${JSON.stringify({ kind, entries: [...entries], ...options } satisfies OutputManifest)}\n`;
}

async function readManifest(dir: string): Promise<OutputManifest | undefined> {
  const text = await readFile(join(dir, OUTPUT_MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const m = JSON.parse(text) as Partial<OutputManifest>;
    if (
      typeof m.kind === 'string' &&
      Array.isArray(m.entries) &&
      m.entries.every((e) => typeof e === 'string') &&
      (m.complete === undefined || m.complete === false)
    )
      return m as OutputManifest;
  } catch {}
  return undefined;
}

/** Options of {@link checkOutputFolder}. */
export interface CheckOutputOptions {
  /**
   * Top-level names this write would put there. A folder without a manifest that holds only such names (or the
   * kind's names of earlier versions) is taken as an older myoseg output of the same kind.
   */
  ownEntries?: Iterable<string>;
  /** How the path is named in messages (default the path itself), e.g. `--out model`. */
  label?: string;
}

/**
 * Checks, before any work, that `dir` may receive a myoseg output of `kind`: it does not exist, or it is an empty
 * folder, or it holds a previous myoseg output of the same kind and nothing else (per its {@link OUTPUT_MANIFEST},
 * or, for folders written before manifests, only the names that kind has always had, or `ownEntries`). Anything else belongs to the user and is
 * refused, so that a later replacement can never delete a file myoseg did not write.
 *
 * @returns whether `dir` exists (and would be replaced).
 * @throws {@link OutputFolderError} naming the path and what is in the way.
 */
export async function checkOutputFolder(
  dir: string,
  kind: OutputKind,
  options: CheckOutputOptions = {},
): Promise<boolean> {
  const label = options.label ?? dir;
  const info = await lstat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new OutputFolderError(`${label}: cannot inspect (${e.code ?? e.message})`);
  });
  if (info === undefined) return false;
  if (!info.isDirectory()) {
    throw new OutputFolderError(
      `${label}: is ${info.isSymbolicLink() ? 'a symbolic link' : 'a file'}, not a folder; myoseg writes a ${kind} folder there only where nothing exists yet`,
    );
  }
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    throw new OutputFolderError(`${label}: cannot list the folder (${e.code ?? e.message})`);
  });
  if (names.length === 0) return true;
  const manifest = await readManifest(dir);
  if (manifest && manifest.kind !== kind) {
    throw new OutputFolderError(
      `${label}: holds a myoseg ${manifest.kind} folder, not a ${kind} folder; choose another path`,
    );
  }
  const allowed = new Set(
    manifest
      ? [...manifest.entries, OUTPUT_MANIFEST]
      : [...KIND_ENTRIES[kind], ...(options.ownEntries ?? [])],
  );
  // what a kill in the middle of an atomic write of one of its entries left is the kind's own too
  const foreign = names.filter((n) => !allowed.has(n) && !allowed.has(temporaryFileTarget(n) ?? ''));
  if (foreign.length > 0) {
    const shown = (foreign.length > 0 ? foreign : names).slice(0, 3).join(', ');
    throw new OutputFolderError(
      `${label}: the folder holds files myoseg did not write (${shown}${names.length > 3 ? ', …' : ''}); myoseg replaces only its own ${kind} folders: choose a new or empty folder`,
    );
  }
  return true;
}

/** Whether `inner` is `outer` or lies inside it (symbolic links resolved where the paths exist). */
export async function isInside(inner: string, outer: string): Promise<boolean> {
  const real = async (p: string): Promise<string> => {
    const abs = resolve(p);
    try {
      return await realpath(abs);
    } catch {
      // not there yet: resolve its nearest existing parent
      const parent = resolve(abs, '..');
      return parent === abs ? abs : join(await real(parent), relative(parent, abs));
    }
  };
  const rel = relative(await real(outer), await real(inner));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Checks that a folder could be created and written at `path`: its nearest existing ancestor is a folder that this
 * process may write (creating nothing).
 *
 * @throws {@link OutputFolderError} naming `label` and the reason.
 */
export async function checkWritable(path: string, label = path): Promise<void> {
  let at = resolve(path);
  for (;;) {
    const info = await stat(at).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) throw new OutputFolderError(`${label}: ${at} is a file, not a folder`);
      await access(at, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
        throw new OutputFolderError(`${label}: ${at} is not writable (${e.code ?? e.message})`);
      });
      return;
    }
    const parent = dirname(at);
    if (parent === at) throw new OutputFolderError(`${label}: no existing parent folder`);
    at = parent;
  }
}

/** Options of {@link checkRunFolder}. */
export interface RunFolderOptions {
  /** How the path is named in messages, e.g. `--out`. */
  label?: string;
  /** Input folders the output must not be, lie in, or hold (e.g. `--data`), with their labels. */
  inputs?: readonly { path: string; label: string }[];
}

/**
 * Everything checked before a command that writes a run folder (`demo`, `evaluate`, `synth`) or a model folder
 * (`train`) starts its work: {@link checkOutputFolder}, {@link checkWritable}, and that the output and the inputs
 * do not contain each other. Creates nothing, so a refusal leaves nothing behind.
 *
 * @throws {@link OutputFolderError}.
 */
export async function checkRunFolder(
  dir: string,
  kind: OutputKind,
  options: RunFolderOptions = {},
): Promise<void> {
  const label = options.label ? `${options.label} ${dir}` : dir;
  for (const input of options.inputs ?? []) {
    if ((await isInside(dir, input.path)) || (await isInside(input.path, dir))) {
      throw new OutputFolderError(
        `${label}: lies in or holds ${input.label} ${input.path}; write outputs outside the input data`,
      );
    }
  }
  await checkOutputFolder(dir, kind, { label });
  await checkWritable(dir, label);
}

/**
 * Creates a run folder with an {@link OUTPUT_MANIFEST} that says `"complete": false`, before the run writes its
 * outputs there, so that a folder left by a killed run is never taken for a whole one (see
 * {@link checkInputFolder}); {@link markRunFolder} marks it whole.
 */
export async function startRunFolder(dir: string, kind: OutputKind): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(
    join(dir, OUTPUT_MANIFEST),
    outputManifest(kind, [...KIND_ENTRIES[kind]], { complete: false }),
  );
}

/**
 * Writes a run folder's {@link OUTPUT_MANIFEST} (after its outputs), so a later run recognises it as its own, and
 * removes the temporary files that an earlier, killed run left beside its entries.
 */
export async function markRunFolder(dir: string, kind: OutputKind): Promise<void> {
  const own = new Set(KIND_ENTRIES[kind]);
  await removeStaleTemporaries(dir, (target) => own.has(target));
  await writeFileAtomic(join(dir, OUTPUT_MANIFEST), outputManifest(kind, [...own]));
}

/**
 * Checks that an input folder (`--data`) is not a myoseg output that its run left unfinished (a `myoseg synth`
 * that was killed): its {@link OUTPUT_MANIFEST}, or its parent's (for `--data cohort/training`), says
 * `"complete": false`.
 *
 * @throws {@link InputError} naming the folder and the command to finish it.
 */
export async function checkInputFolder(dir: string, label: string): Promise<void> {
  for (const at of [dir, dirname(resolve(dir))]) {
    const manifest = await readManifest(at);
    if (manifest?.complete === false) {
      throw new InputError(
        `${label} ${dir}: an unfinished myoseg ${manifest.kind} (${join(at, OUTPUT_MANIFEST)} says "complete": false; its run was interrupted); run it again to finish it`,
      );
    }
  }
}
