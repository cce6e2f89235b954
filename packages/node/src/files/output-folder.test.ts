import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputFolderError } from '../errors';
import { writeFolderAtomic } from './atomic';
import {
  checkInputFolder,
  checkOutputFolder,
  checkRunFolder,
  checkWritable,
  isInside,
  markRunFolder,
  OUTPUT_MANIFEST,
  startRunFolder,
} from './output-folder';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-out-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeFolderAtomic never deletes what myoseg did not write', () => {
  it('refuses a folder holding a user file, and leaves the file', async () => {
    const target = join(dir, 'precious');
    await mkdir(target);
    await writeFile(join(target, 'precious.txt'), 'keep');
    await expect(writeFolderAtomic(target, { 'myoseg.json': '{}' }, { kind: 'model' })).rejects.toThrow(
      OutputFolderError,
    );
    await expect(writeFolderAtomic(target, { 'myoseg.json': '{}' }, { kind: 'model' })).rejects.toThrow(
      /precious: the folder holds files myoseg did not write \(precious\.txt\)/,
    );
    expect(await readFile(join(target, 'precious.txt'), 'utf8')).toBe('keep');
    expect(await readdir(target)).toEqual(['precious.txt']);
  });

  it('refuses a file or a symbolic link at the path, and leaves it', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'keep');
    await expect(writeFolderAtomic(file, { 'x.json': '{}' }, { kind: 'model' })).rejects.toThrow(/is a file/);
    expect(await readFile(file, 'utf8')).toBe('keep');
    const link = join(dir, 'a-link');
    await symlink(file, link);
    await expect(writeFolderAtomic(link, { 'x.json': '{}' }, { kind: 'model' })).rejects.toThrow(
      /is a symbolic link/,
    );
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('replaces its own folder of the same kind, and an empty folder', async () => {
    const target = join(dir, 'own');
    await writeFolderAtomic(target, { 'a.txt': '1', 'sub/b.bin': '2' }, { kind: 'checkpoint' });
    expect(JSON.parse(await readFile(join(target, OUTPUT_MANIFEST), 'utf8'))).toEqual({
      kind: 'checkpoint',
      entries: ['a.txt', 'sub'],
    });
    await writeFolderAtomic(target, { 'c.txt': '3' }, { kind: 'checkpoint' });
    expect((await readdir(target)).sort()).toEqual([OUTPUT_MANIFEST, 'c.txt']);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFolderAtomic(empty, { 'c.txt': '3' }, { kind: 'model' });
    expect(await readFile(join(empty, 'c.txt'), 'utf8')).toBe('3');
  });

  it('refuses its own folder once the user put a file in it, and a folder of another kind', async () => {
    const target = join(dir, 'own-plus');
    await writeFolderAtomic(target, { 'a.txt': '1' }, { kind: 'model' });
    await writeFile(join(target, 'notes.md'), 'mine');
    await expect(writeFolderAtomic(target, { 'a.txt': '2' }, { kind: 'model' })).rejects.toThrow(/notes\.md/);
    expect(await readFile(join(target, 'notes.md'), 'utf8')).toBe('mine');
    const other = join(dir, 'other-kind');
    await writeFolderAtomic(other, { 'a.txt': '1' }, { kind: 'checkpoint' });
    await expect(writeFolderAtomic(other, { 'a.txt': '2' }, { kind: 'model' })).rejects.toThrow(
      /holds a myoseg checkpoint folder, not a model folder/,
    );
  });

  it('takes a model folder written before manifests (only model-folder names) as its own', async () => {
    const legacy = join(dir, 'legacy');
    await mkdir(join(legacy, 'localizer'), { recursive: true });
    await writeFile(join(legacy, 'myoseg.json'), '{}');
    await writeFile(join(legacy, 'segmenter.onnx'), 'x');
    expect(await checkOutputFolder(legacy, 'model')).toBe(true);
    await expect(checkOutputFolder(legacy, 'evaluation')).rejects.toThrow(/myoseg\.json/);
  });
});

describe('checkRunFolder', () => {
  it('refuses an output inside, equal to or holding the input data', async () => {
    const data = join(dir, 'data');
    await mkdir(join(data, 'training', 'patient001'), { recursive: true });
    const inputs = [{ path: data, label: '--data' }];
    for (const out of [data, join(data, 'model'), join(data, 'training', 'new', 'deeper')]) {
      await expect(checkRunFolder(out, 'model', { label: '--out', inputs })).rejects.toThrow(
        /--out .*: lies in or holds --data/,
      );
    }
    await expect(checkRunFolder(dir, 'model', { label: '--out', inputs })).rejects.toThrow(
      /lies in or holds/,
    );
    // through a symbolic link to the data
    const link = join(dir, 'data-link');
    await symlink(data, link);
    await expect(checkRunFolder(join(link, 'model'), 'model', { inputs })).rejects.toThrow(
      /lies in or holds/,
    );
    await expect(
      checkRunFolder(join(dir, 'model-next-to-data'), 'model', { inputs }),
    ).resolves.toBeUndefined();
    expect(await readdir(dir)).not.toContain('model-next-to-data'); // nothing created
  });

  it('refuses a path under a file before any work', async () => {
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'x');
    await expect(checkWritable(join(file, 'out'), '--out')).rejects.toThrow(/--out: .*plain\.txt is a file/);
  });

  it('recognises a run folder it marked, and a legacy one', async () => {
    const run = join(dir, 'evaluation-run');
    await mkdir(run);
    await writeFile(join(run, 'evaluation.json'), '{}');
    await expect(checkRunFolder(run, 'evaluation')).resolves.toBeUndefined();
    await markRunFolder(run, 'evaluation');
    await expect(checkRunFolder(run, 'evaluation')).resolves.toBeUndefined();
    await expect(checkRunFolder(run, 'demo-run')).rejects.toThrow(/evaluation folder, not a demo-run/);
  });
});

describe('folders of a killed run', () => {
  it("take a temporary file of their own entries for their own, and the next run's mark removes it", async () => {
    const run = join(dir, 'killed-evaluation');
    await mkdir(run);
    await writeFile(join(run, 'slices.csv'), 'a\n');
    await writeFile(join(run, 'evaluation.json.4242.0a1b2c3d.tmp'), '{"summ');
    await expect(checkRunFolder(run, 'evaluation')).resolves.toBeUndefined();
    await writeFile(join(run, 'notes.json.4242.0a1b2c3d.tmp'), 'not ours');
    await expect(checkRunFolder(run, 'evaluation')).rejects.toThrow(/notes\.json\.4242/);
    await rm(join(run, 'notes.json.4242.0a1b2c3d.tmp'));
    await markRunFolder(run, 'evaluation');
    expect((await readdir(run)).sort()).toEqual([OUTPUT_MANIFEST, 'slices.csv']);
  });

  it('a run folder started but not marked is refused as an input, naming its manifest', async () => {
    const cohort = join(dir, 'half-cohort');
    await startRunFolder(cohort, 'twin-cohort');
    await mkdir(join(cohort, 'training'));
    await expect(checkRunFolder(cohort, 'twin-cohort')).resolves.toBeUndefined(); // a rerun may finish it
    for (const data of [cohort, join(cohort, 'training')])
      await expect(checkInputFolder(data, '--data')).rejects.toThrow(
        /--data .*: an unfinished myoseg twin-cohort \(.*half-cohort\/\.myoseg-output\.json says "complete": false/,
      );
    await markRunFolder(cohort, 'twin-cohort');
    await expect(checkInputFolder(cohort, '--data')).resolves.toBeUndefined();
  });
});

describe('isInside', () => {
  it('compares resolved paths, not strings', async () => {
    expect(await isInside(join(dir, 'a', 'b'), join(dir, 'a'))).toBe(true);
    expect(await isInside(join(dir, 'a'), join(dir, 'a'))).toBe(true);
    expect(await isInside(join(dir, 'ab'), join(dir, 'a'))).toBe(false);
    expect(await isInside(join(dir, 'a', '..', 'b'), join(dir, 'a'))).toBe(false);
    expect(await isInside(join(dir, '..a'), dir)).toBe(true); // a name that starts with two dots
  });
});
