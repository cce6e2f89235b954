import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatInfoCfg, readDicomSeries, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { VerdictTable } from './review/verdicts';
import { type ModelRunner, Session } from './session';

/** A [D=3, H=2, W=2] volume file whose slice k holds `values(k)`. */
function niftiFile(name: string, values: (k: number) => number[], type: 'int16' | 'uint8') {
  const data = (type === 'uint8' ? Uint8Array : Int16Array).from([0, 1, 2].flatMap(values));
  return new File([writeNifti(ndarray(data, [3, 2, 2]), { spacing: [8, 1.5, 1.5] }).slice()], name);
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

/** A runner that cannot load models. */
const noRunner: ModelRunner = {
  load: () => Promise.reject(new Error('no runner')),
  segment: () => Promise.reject(new Error('no runner')),
};

/** A session (without a model runner by default), and the messages it gives. */
function newSession(runner: ModelRunner = noRunner) {
  const messages: [string, boolean][] = [];
  const session = new Session((text, error = false) => messages.push([text, error]), memoryStorage(), runner);
  return { session, messages };
}

const info = { ed: 1, es: 9, group: 'HCM' as const, height: 170, weight: 70, nbFrames: 20 };

describe('Session', () => {
  it('sorts dropped files, starts on the middle slice and lists the masks that fit the frame', async () => {
    const { session, messages } = newSession();
    const verdicts = new VerdictTable([
      {
        image: 'p/patient001_frame01.nii.gz',
        patient: 'patient001',
        frameIndex: 0,
        sliceIndex: 0,
        maskA: 'a',
        maskB: 'b',
        verdict: 'same-bad',
        ratedAt: '2024-01-01T00:00:00.000Z',
      },
    ]);
    await session.addFiles([
      { path: 'p/patient001_frame01.nii.gz', file: niftiFile('i', (k) => [k, k, k, k], 'int16') },
      {
        path: 'p/patient001_frame01_gt.nii.gz',
        file: niftiFile('g', (k) => [0, 2, 3, k === 1 ? 2 : 0], 'uint8'),
      },
      { path: 'p/patient001_frame09_gt.nii.gz', file: niftiFile('e', () => [2, 2, 2, 2], 'uint8') },
      { path: 'p/Info.cfg', file: new File([formatInfoCfg(info)], 'Info.cfg') },
      { path: 'old-verdicts.json', file: new File([verdicts.toJson()], 'old-verdicts.json') },
      { path: 'notes.txt', file: new File(['x'], 'notes.txt') },
    ]);
    expect(session.image?.path).toBe('p/patient001_frame01.nii.gz');
    expect([session.frame, session.slice]).toEqual([0, 1]);
    expect(Array.from(session.currentSlice()!.image.data)).toEqual([1, 1, 1, 1]);
    const sources = session.maskSources();
    expect(sources.map((s) => s.id)).toEqual(['p/patient001_frame01_gt.nii.gz']); // the ES labels are for frame 9
    expect(Array.from((await sources[0].mask()).data)).toEqual([0, 1, 0, 1]);
    expect(session.patientInfo()).toEqual(info);
    expect(session.verdicts.records()).toEqual(verdicts.records());
    expect(messages.at(-1)).toEqual(['read 5 of 5 file(s); ignored notes.txt', false]);
    session.go(0, 7);
    expect(session.slice).toBe(2);

    // A loose image of another patient takes the Info.cfg of a folder named after that patient.
    const other = { ...info, group: 'RV' as const };
    await session.addFiles([
      { path: 'patient002_frame01.nii.gz', file: niftiFile('i', () => [1, 2, 3, 4], 'int16') },
      { path: 'patient002/Info.cfg', file: new File([formatInfoCfg(other)], 'Info.cfg') },
    ]);
    expect(session.patientInfo()).toEqual(other);
  });

  it('reads a dropped DICOM folder as one cine image, as myoseg segment does, and names a folder it cannot read', async () => {
    // the pydicom-written fixtures of @myoseg/datasets: an oblique cine, 4 slices × 3 phases, 12 × 16 pixels
    const fixtures = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'packages',
      'datasets',
      'test',
      'fixtures',
      'dicom',
    );
    const folder = (name: string, as: string) =>
      readdirSync(join(fixtures, name)).map((f) => ({
        path: `${as}/${f}`,
        file: new File([readFileSync(join(fixtures, name, f))], f),
      }));
    const { session, messages } = newSession();
    const jp2k = new File([readFileSync(join(fixtures, 'pydicom', 'MR_small_jp2klossless.dcm'))], 'IM1');
    await session.addFiles([...folder('cine', 'study/sa'), { path: 'bad/IM1', file: jp2k }]);
    expect(session.image?.path).toBe('study/sa (DICOM)');
    expect(session.image?.layout).toEqual({ frames: 3, slices: 4, height: 12, width: 16 });
    const series = readDicomSeries(
      folder('cine', 'x').map((f) => ({
        name: f.path,
        bytes: readFileSync(join(fixtures, 'cine', f.file.name)),
      })),
    );
    session.go(2, 3);
    expect(Array.from(session.currentSlice()!.image.data)).toEqual(
      Array.from(series.volume.data.subarray((2 * 4 + 3) * 192, (2 * 4 + 4) * 192)),
    );
    expect(messages.some(([m, error]) => error && /bad\/IM1: transfer syntax .*JPEG 2000/.test(m))).toBe(
      true,
    );
    expect(messages.at(-1)).toEqual(['read 0 of 0 file(s), 1 DICOM series', true]);
  });

  it('reports an unreadable file and a label file that does not fit, and goes on', async () => {
    const { session, messages } = newSession();
    const small = new File([writeNifti(ndarray(new Uint8Array(4), [1, 2, 2])).slice()], 'small_mask.nii');
    await session.addFiles([
      { path: 'broken.nii', file: new File(['not nifti'], 'broken.nii') },
      { path: 'scan.nii', file: niftiFile('s', () => [5, 6, 7, 8], 'int16') },
      { path: 'small_mask.nii', file: small },
    ]);
    expect(session.image?.path).toBe('scan.nii');
    expect(session.maskSources()).toEqual([]);
    session.maskSources();
    const errors = messages.filter(([, error]) => error).map(([text]) => text);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^broken\.nii: /);
    expect(errors[1]).toBe('read 2 of 3 file(s)');
    expect(errors[2]).toMatch(
      /^small_mask\.nii: its 1 frame\(s\) × 1 slice\(s\) × 2×2 do not fit scan\.nii's/,
    );
  });

  it("segments a frame once, as one stack in the runner, and gives each slice's mask; progress is reported", async () => {
    const calls: { shape: number[]; spacing: number[]; first: number }[] = [];
    const runner: ModelRunner = {
      load: async (source, where) => ({
        where,
        model: `tiny (${'url' in source ? source.url : [...source.files.keys()].join(',')})`,
        runtime: {
          runtime: 'wasm',
          executionProviders: ['wasm'],
          precision: 'float32' as const,
          detail: 'one thread',
          skipped: [],
          summary: 'wasm (one thread)',
        },
      }),
      segment: async (data, shape, spacing, _affine, onProgress) => {
        calls.push({ shape, spacing, first: data[0] });
        for (let k = 1; k <= shape[0]; k++) onProgress?.({ step: 'localize', done: k, total: shape[0] });
        // slice k's mask: pixel k set
        const mask = new Uint8Array(shape[0] * 4);
        for (let k = 0; k < shape[0]; k++) mask[k * 4 + k] = 1;
        const timings = { localizeMs: 1, segmentMs: 1, restoreMs: 0, totalMs: 2 };
        const slices = Array.from({ length: shape[0] }, () => ({
          found: true,
          areaMm2: 2.25,
          cropBox: null,
          sigma: 1,
          timings,
        }));
        return { type: 'segmented', id: 1, mask, slices, ms: 5 };
      },
    };
    const { session, messages } = newSession(runner);
    await session.addFiles([{ path: 'scan.nii', file: niftiFile('s', (k) => [k + 10, 0, 0, 0], 'int16') }]);
    const progress: string[] = [];
    session.addEventListener('progress', () =>
      progress.push(session.progress ? `${session.progress.done}/${session.progress.total}` : 'done'),
    );
    await expect(session.segmentation()).rejects.toThrow(/needs an image and a model/);
    await session.loadModel({ url: 'https://x/model/' }, 'model');
    expect(messages.at(-1)).toEqual([
      'model model: tiny (https://x/model/); runs on wasm (one thread)',
      false,
    ]);
    const [a, b] = await Promise.all([session.segmentation(0, 1), session.segmentation(0, 2)]);
    expect(calls).toEqual([{ shape: [3, 2, 2], spacing: [8, 1.5, 1.5], first: 10 }]);
    expect(Array.from(a.mask.data)).toEqual([0, 1, 0, 0]);
    expect(Array.from(b.mask.data)).toEqual([0, 0, 1, 0]);
    expect(progress).toEqual(['1/3', '2/3', '3/3', 'done']);
    const sources = session.maskSources();
    expect(sources.map((s) => s.id)).toEqual(['model']);
    expect(Array.from((await sources[0].mask()).data)).toEqual([0, 1, 0, 0]); // the middle slice
    expect(calls).toHaveLength(1);
  });
});
