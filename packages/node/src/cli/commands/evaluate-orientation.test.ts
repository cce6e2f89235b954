import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Reorientation, reorient, reorientAffine } from '@myoseg/core';
import { readNifti, writeNifti } from '@myoseg/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../../test/capture-io';
import { synthesizeSmallTwin } from '../../../test/small-twin';
import { main } from '../program';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-eval-orient-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Copies an ACDC root with every image and label map stored in another voxel order, each with its true affine. */
async function turnedCopy(from: string, to: string, turn: Reorientation) {
  await cp(from, to, { recursive: true });
  for (const subset of await readdir(to)) {
    if (subset.startsWith('.')) continue;
    for (const patient of await readdir(join(to, subset))) {
      for (const file of (await readdir(join(to, subset, patient))).filter((f) =>
        /frame\d+(_gt)?\.nii\.gz$/.test(f),
      )) {
        const path = join(to, subset, patient, file);
        const image = readNifti(await readFile(path), { name: path, gunzip: gunzipSync });
        const turned = reorient(image.volume, turn);
        await writeFile(
          path,
          writeNifti(turned, { affine: reorientAffine(image.affine, image.shape, turn) }),
        );
      }
    }
  }
}

const frameDice = async (data: string, out: string) => {
  const { io } = captureIo();
  expect(await main(['evaluate', '--data', data, '--out', out, '--json'], io)).toBe(0);
  const rows = (await readFile(join(out, 'frames.csv'), 'utf8')).trim().split('\n');
  const header = rows[0].split(',');
  const [id, phase, dice] = ['patientId', 'phase', 'dice'].map((c) => header.indexOf(c));
  return rows
    .slice(1)
    .map((r) => r.split(','))
    .map((r) => `${r[id]} ${r[phase]} ${r[dice]}`)
    .sort();
};

describe('myoseg evaluate: stored orientation', () => {
  it('scores a cohort stored transposed and flipped as the cohort itself (the stacks are turned to the model)', async () => {
    const data = join(dir, 'twin');
    await synthesizeSmallTwin(data, 2, 31);
    const turned = join(dir, 'turned');
    await turnedCopy(data, turned, { axes: [0, 2, 1], flips: [true, false, true] });
    const reference = await frameDice(data, join(dir, 'eval-a'));
    expect(reference).toHaveLength(4);
    expect(reference.every((r) => r.startsWith('patient'))).toBe(true);
    expect(await frameDice(turned, join(dir, 'eval-b'))).toEqual(reference);
  }, 120_000);
});
