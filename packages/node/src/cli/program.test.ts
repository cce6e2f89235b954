import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type Reorientation, reorient, reorientAffine } from '@myoseg/core';
import { readNifti, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io';
import { TINY_PRESET } from '../../test/tiny-preset';
import { loadPipelineFolder } from '../files/pipeline-folder';
import { readEvaluation } from '../report/read-evaluation';
import { demoCommand } from './commands/demo';
import { trainCommand } from './commands/train';
import { main } from './program';

let dir: string;
let demo: string;
let demoOut: string[];
const read = (path: string) =>
  readFile(path).then((b) => readNifti(b, { name: path, gunzip: (x) => gunzipSync(x) }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-cli-'));
  demo = join(dir, 'demo');
  const { io, out } = captureIo();
  demoOut = out;
  const code = await demoCommand(io, {
    patients: 5,
    seed: 1,
    runs: 1,
    out: demo,
    preset: TINY_PRESET,
  });
  expect(code).toBe(0);
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('myoseg demo (tiny preset)', () => {
  it('writes the model, metrics, overlays and a self-contained report', async () => {
    const files = await readdir(demo);
    for (const f of ['model', 'metrics.json', 'metrics.csv', 'report.html', 'report.json'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('overlay-') && f.endsWith('.png'))).toBe(true);
    const metrics = JSON.parse(await readFile(join(demo, 'metrics.json'), 'utf8'));
    expect(metrics.rows).toHaveLength(5);
    const html = await readFile(join(demo, 'report.html'), 'utf8');
    expect(html).toContain('data:image/png;base64,');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(demoOut.join('\n')).toMatch(/localization, original size \+ Gaussian blur/);
    // the whole-volume view: the held-out patients' whole ED and ES stacks, beside Table 1
    expect(metrics.wholeVolume.summary.all.frames).toBe(
      2 * new Set(metrics.wholeVolume.frames.map((f: { patientId: string }) => f.patientId)).size,
    );
    expect(Object.keys(metrics.wholeVolume.summary.byPhase)).toEqual(['ED', 'ES']);
    expect(html).toContain('id="volumes"');
    expect(demoOut.join('\n')).toMatch(/whole volumes \(full method/);
  });
});

describe('myoseg CLI', () => {
  it('segment writes masks with the input geometry; one bad file does not stop the others', async () => {
    const patient = join(demo, 'data', 'training', 'patient001');
    const image = (await readdir(patient)).find((f) => /frame\d+\.nii\.gz$/.test(f))!;
    const bad = join(dir, 'broken.nii.gz');
    await writeFile(bad, 'not gzip at all');
    const { io, out } = captureIo();
    const code = await main(
      [
        'segment',
        join(patient, image),
        bad,
        '--model',
        join(demo, 'model'),
        '--out',
        join(dir, 'masks'),
        '--png',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(out.at(-1)).toBe('1 written, 1 failed');
    const input = await read(join(patient, image));
    const mask = await read(join(dir, 'masks', image.replace('.nii.gz', '_myo.nii.gz')));
    expect(mask.shape).toEqual(input.shape);
    expect(mask.spacing).toEqual(input.spacing);
    expect(mask.affine.flat().map((v) => Math.fround(v))).toEqual(
      input.affine.flat().map((v) => Math.fround(v)),
    );
    expect(mask.datatype).toBe('uint8');
    expect((await readdir(join(dir, 'masks'))).some((f) => f.endsWith('.png'))).toBe(true);
  });

  it('segment: bad inputs are one-line errors with exit code 2', async () => {
    const model = join(demo, 'model');
    const label = join(demo, 'data', 'training', 'patient001');
    const gt = (await readdir(label)).find((f) => f.endsWith('_gt.nii.gz'))!;
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'hello');
    const cases: [string[], RegExp][] = [
      [
        ['segment', join(dir, 'missing.nii.gz'), '--model', model, '--out', dir],
        /missing\.nii\.gz: no such file or folder/,
      ],
      [['segment', join(demo, 'model'), '--model', model, '--out', dir], /holds no NIfTI image/],
      [['segment', text, '--model', model, '--out', dir], /notes\.txt: not a NIfTI file/],
      [
        ['segment', label, '--model', join(dir, 'nomodel'), '--out', dir],
        /not a myoseg model folder.*myoseg demo/,
      ],
      [
        ['segment', label, '--model', model, '--out', join(text, 'sub')],
        /--out .*notes\.txt is a file, not a folder/,
      ],
    ];
    for (const [argv, message] of cases) {
      const { io, err } = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
    const { io, err } = captureIo();
    // a study refused when read: it fails (failures.csv); with nothing else segmented, the run exits 2
    expect(await main(['segment', join(label, gt), '--model', model, '--out', join(dir, 'gt')], io)).toBe(2);
    expect(err.join('\n')).toMatch(/looks like a label map/);
  });

  it('evaluate scores whole volumes (3D Dice, HD95, HD, mass by group and phase) and every slice', async () => {
    const { io, out } = captureIo();
    const target = join(dir, 'evaluation');
    expect(
      await main(
        ['evaluate', '--data', join(demo, 'data'), '--model', join(demo, 'model'), '--out', target, '--json'],
        io,
      ),
    ).toBe(0);
    const summary = JSON.parse(out[0]);
    expect(summary.patients).toBe(5);
    expect(summary.meanSliceDice).toBeGreaterThanOrEqual(0);
    expect([summary.localization, summary.sliceView, summary.frames]).toEqual(['volume', 'all', 10]);
    for (const key of ['meanFrameDice', 'meanAbsVolumeErrorMl', 'meanAbsMassErrorG', 'meanMassErrorG'])
      expect(typeof summary[key], key).toBe('number');
    expect(Object.keys(summary.byPhase)).toEqual(['ED', 'ES']);
    expect(
      Object.values(summary.byGroup).reduce((n: number, g) => n + (g as { frames: number }).frames, 0),
    ).toBe(10);
    const saved = JSON.parse(await readFile(join(target, 'evaluation.json'), 'utf8'));
    expect(saved.frames).toHaveLength(10);
    const read = readEvaluation(saved, join(target, 'evaluation.json'));
    expect([read.summary.patients, read.frames.length, read.slices.length]).toEqual([5, 10, summary.slices]);
    for (const f of saved.frames) expect(f.trueMassG).toBeCloseTo(f.trueVolumeMl * 1.05, 9);
    expect((await readFile(join(target, 'slices.csv'), 'utf8')).split('\n')[0]).toBe(
      'patientId,group,phase,slice,dice,hd95Mm',
    );
    expect((await readFile(join(target, 'frames.csv'), 'utf8')).split('\n')[0]).toBe(
      'patientId,group,phase,dice,hd95Mm,hdMm,volumeMl,trueVolumeMl,massG,trueMassG',
    );

    // the paper's view: each slice localized on its own, slices scored only where the paper's filters keep them
    const paper = captureIo();
    const paperTarget = join(dir, 'evaluation-paper');
    const args = ['--data', join(demo, 'data'), '--model', join(demo, 'model'), '--out', paperTarget];
    expect(await main(['evaluate', ...args, '--per-slice', '--filtered', '--json'], paper.io)).toBe(0);
    const filtered = JSON.parse(paper.out[0]);
    expect([filtered.localization, filtered.sliceView, filtered.frames]).toEqual([
      'per-slice',
      'filtered',
      10,
    ]);
    expect(filtered.slices).toBeGreaterThan(0);
    expect(filtered.slices).toBeLessThan(summary.slices);

    const help = captureIo();
    await main(['evaluate', '--help'], help.io);
    expect(help.out.join('\n')).toMatch(/--per-slice[\s\S]*--filtered[\s\S]*whole-volume view/);
  });

  it('segment turns a stack stored transposed, flipped or resliced to the model orientation (same world mask)', async () => {
    const manifest = JSON.parse(await readFile(join(demo, 'model', 'myoseg.json'), 'utf8'));
    expect(manifest.orientation).toBe('RAS'); // the twin's affines, recorded by demo (and train)
    const patient = join(demo, 'data', 'training', 'patient001');
    const name = (await readdir(patient)).find((f) => /frame\d+\.nii\.gz$/.test(f))!;
    const input = await read(join(patient, name));
    const copies: Reorientation[] = [
      { axes: [0, 2, 1], flips: [false, true, false] }, // rotated 90° in plane
      { axes: [2, 0, 1], flips: [true, false, false] }, // slices stored along x, reversed
    ];
    const files = [join(patient, name)];
    for (const [i, copyOf] of copies.entries()) {
      const file = join(dir, `turned${i}.nii.gz`);
      const affine = reorientAffine(input.affine, input.shape, copyOf);
      await writeFile(file, writeNifti(reorient(input.volume, copyOf), { affine }));
      files.push(file);
    }
    const { io } = captureIo();
    // @myoseg/pretrained's model (no --model): the tiny demo model may find nothing, which would prove nothing
    expect(await main(['segment', ...files, '--out', join(dir, 'turned')], io)).toBe(0);
    const reference = await read(join(dir, 'turned', name.replace('.nii.gz', '_myo.nii.gz')));
    expect(reference.data.some((v) => v > 0)).toBe(true);
    for (const [i, copyOf] of copies.entries()) {
      const mask = await read(join(dir, 'turned', `turned${i}_myo.nii.gz`));
      const expected = reorient(reference.volume, copyOf).data;
      expect(mask.shape).toEqual(reorient(input.volume, copyOf).shape);
      expect(mask.data.filter((v, k) => v !== expected[k]).length).toBe(0);
    }
  }, 180_000); // a hang guard: three studies through @myoseg/pretrained, slow on a busy CI host

  it('train saves a model folder; Ctrl-C stops after the current batch and still saves one that loads', async () => {
    const tiny = { ...TINY_PRESET, epochs: 2, batchSize: 4 };
    const listeners: (() => void)[] = [];
    const interrupt = {
      on: (l: () => void) => listeners.push(l),
      off: (l: () => void) => listeners.splice(listeners.indexOf(l), 1),
    };

    const full = captureIo();
    expect(
      await trainCommand(full.io, {
        data: join(demo, 'data'),
        out: join(dir, 'trained'),
        seed: 0,
        preset: tiny,
        interrupt,
      }),
    ).toBe(0);
    const epochsRun = full.err.filter((l) => /\] epoch /.test(l)).length;
    expect(epochsRun).toBe(2 * 3); // two networks × (1 frozen + 2) epochs

    const stopped = captureIo();
    let fired = false;
    stopped.io.status = () => {
      if (!fired) {
        fired = true;
        for (const l of [...listeners]) l();
      }
    };
    const target = join(dir, 'interrupted');
    expect(
      await trainCommand(stopped.io, {
        data: join(demo, 'data'),
        out: target,
        seed: 0,
        preset: tiny,
        interrupt,
      }),
    ).toBe(1);
    expect(stopped.err.join('\n')).toMatch(/interrupted: stopping after this batch/);
    expect(stopped.err.filter((l) => /\] epoch /.test(l)).length).toBeLessThan(epochsRun);
    expect(listeners).toHaveLength(0);
    const loaded = await loadPipelineFolder(target);
    expect(loaded.manifest.preset.epochs).toBe(2);
    expect(loaded.manifest.complete).toBe(false);
    loaded.dispose();
    // segment refuses the interrupted model unless told
    const patient = join(demo, 'data', 'training', 'patient001');
    const image = join(patient, (await readdir(patient)).find((f) => /frame\d+\.nii\.gz$/.test(f))!);
    const refused = captureIo();
    const seg = ['--runtime', 'tfjs', 'segment', image, '--model', target, '--out', join(dir, 'inc')];
    expect(await main(seg, refused.io)).toBe(2);
    expect(refused.err.at(-1)).toMatch(/interrupted\/myoseg.json: "complete": false.*--allow-incomplete/);
    const allowed = captureIo();
    expect(await main([...seg, '--allow-incomplete'], allowed.io)).toBe(0);
    expect(allowed.err.join('\n')).toMatch(/training stopped early/);
    // the complete model of the same command says so, and a second run replaces it (its own folder)
    expect((await loadPipelineFolder(join(dir, 'trained'))).manifest.complete).toBe(true);
  }, 120_000);

  it('segment keeps the input geometry as nibabel reads it (fixture: test/fixtures/segment)', async () => {
    // MYOSEG_WRITE_FIXTURES=1 rewrites the two files; then record nibabel's view of them with
    // /usr/bin/python3 ../datasets/test/fixtures/check_ours.py test/fixtures/segment
    const fixtures = fileURLToPath(new URL('../../test/fixtures/segment/', import.meta.url));
    if (process.env.MYOSEG_WRITE_FIXTURES === '1') {
      const patient = join(demo, 'data', 'training', 'patient001');
      const frame = (await readdir(patient)).find((f) => /frame\d+\.nii\.gz$/.test(f))!;
      const image = await read(join(patient, frame));
      const [c, s] = [Math.cos(0.4), Math.sin(0.4)];
      const [dz, dy, dx] = image.spacing;
      const affine = [
        [c * dx, -s * dy, 0, -60.5],
        [s * dx, c * dy, 0, 20.25],
        [0, 0, -dz, 40],
        [0, 0, 0, 1],
      ];
      await writeFile(
        join(fixtures, 'scan.nii.gz'),
        writeNifti(
          // two mid slices, stored as int16 like ACDC's scans, keep the fixture small
          ndarray(Int16Array.from(image.data as ArrayLike<number>, Math.round), image.shape)
            .hi(Math.ceil(image.shape[0] / 2) + 1)
            .lo(Math.ceil(image.shape[0] / 2) - 1),
          { affine },
        ),
      );
      expect(
        await main(
          ['segment', join(fixtures, 'scan.nii.gz'), '--model', join(demo, 'model'), '--out', fixtures],
          captureIo().io,
        ),
      ).toBe(0);
    }
    const { files } = JSON.parse(await readFile(join(fixtures, 'nibabel.json'), 'utf8'));
    const [scan, mask] = [files['scan.nii.gz'], files['scan_myo.nii.gz']];
    expect(mask.shape).toEqual(scan.shape);
    expect(mask.zooms).toEqual(scan.zooms);
    expect(mask.affine.flat()).toEqual(scan.affine.flat().map((v: number) => expect.closeTo(v, 5)));
    expect([mask.qform_code, mask.sform_code]).toEqual([scan.qform_code, scan.sform_code]);
    expect(mask.sum).toBeGreaterThan(0);
    // our reader sees the same voxels as nibabel (NIfTI order, x fastest)
    const ours = await read(join(fixtures, 'scan_myo.nii.gz'));
    const data = Array.from(ours.data as ArrayLike<number>);
    expect(data.reduce((a, v) => a + v, 0)).toBe(mask.sum);
    expect(data.reduce((a, v, i) => a + v * ((i % 7) + 1), 0)).toBe(mask.weighted);
  });

  it('the built binary segments chosen frames of a 4D cine file', async () => {
    const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
    const patient = join(demo, 'data', 'training', 'patient002');
    const frame = (await readdir(patient)).find((f) => /frame\d+\.nii\.gz$/.test(f))!;
    const image = await read(join(patient, frame));
    const [d, h, w] = image.shape;
    const cine = new Float32Array(3 * d * h * w);
    for (let t = 0; t < 3; t++) cine.set(Float32Array.from(image.data as ArrayLike<number>), t * d * h * w);
    const input = join(dir, 'cine_4d.nii.gz');
    await writeFile(input, writeNifti(ndarray(cine, [3, d, h, w]), { spacing: [1, ...image.spacing] }));
    const run = promisify(execFile);
    const out = join(dir, 'cine');
    const { stdout } = await run(process.execPath, [
      cli,
      'segment',
      input,
      '--frames',
      '0,2',
      '--model',
      join(demo, 'model'),
      '--out',
      out,
      '--json',
    ]);
    // one 4D label map of the chosen frames, its label tables and measures
    expect(JSON.parse(stdout).written.map((x: { file: string }) => x.file.split('/').pop())).toEqual([
      'cine_4d_myo.nii.gz',
      'cine_4d_myo.nii.gz',
    ]);
    const mask = await read(join(out, 'cine_4d_myo.nii.gz'));
    expect(mask.shape).toEqual([2, d, h, w]);
    expect(mask.header.intentCode).toBe(1002);
    expect((await readdir(out)).sort()).toEqual(
      [
        'cine_4d.study.json',
        'cine_4d_measures.csv',
        'cine_4d_myo.ctbl',
        'cine_4d_myo.nii.gz',
        'cine_4d_myo.txt',
      ].sort(),
    );
    const measures = (await readFile(join(out, 'cine_4d_measures.csv'), 'utf8')).trim().split('\n');
    expect(measures[0]).toBe('frame,phase,myocardium_ml,myocardium_g,lv_cavity_ml');
    expect(measures.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '2']);
    const bad = await run(process.execPath, [
      cli,
      'segment',
      input,
      '--frames',
      '5',
      '--model',
      join(demo, 'model'),
      '--out',
      out,
    ]).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/frame 5 does not exist \(the file has 3 frames, 0–2\)/);
  });

  it('report re-renders report.html from report.json', async () => {
    await rm(join(demo, 'report.html'));
    const { io, out } = captureIo();
    expect(await main(['report', demo], io)).toBe(0);
    expect(out[0]).toMatch(/report\.html$/);
    expect(await readFile(join(demo, 'report.html'), 'utf8')).toContain('<html');
    const missing = captureIo();
    expect(await main(['report', dir], missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/report\.json: cannot read/);
  });

  it('doctor --json reports the wasm fallback and what to install for a GPU', async () => {
    const { io, out } = captureIo();
    expect(await main(['doctor', '--json'], io)).toBe(0);
    const info = JSON.parse(out.join('\n'));
    expect(info.backend.choice).toBe('wasm');
    expect(info.advice.join(' ')).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    // the monorepo installs the optional onnxruntime-node for its own tests
    expect(info.inference).toMatchObject({
      runtime: 'onnxruntime-node',
      version: expect.stringMatching(/^1\./),
    });
    expect(info.training).toMatch(/^training: onnxruntime-node 1\.\d+\.\d+, \d+ threads?$/);
    const tfjs = captureIo();
    expect(await main(['--runtime', 'tfjs', 'doctor'], tfjs.io)).toBe(0);
    expect(tfjs.out.some((l) => /^training: tfjs wasm, 1 thread.* \(train, demo\)$/.test(l))).toBe(true);
  });

  it('--runtime picks the inference runtime of segment; a bad name is one line', async () => {
    const input = join(demo, 'data', 'training', 'patient001');
    for (const [runtime, line] of [
      ['tfjs', /^inference: tfjs$/],
      ['auto', /^inference: onnxruntime-node 1\.\d+\.\d+, \d+ threads$/],
    ] as const) {
      const { io, err } = captureIo();
      const out = join(dir, `rt-${runtime}`);
      expect(
        await main(
          ['segment', input, '--model', join(demo, 'model'), '--out', out, '--runtime', runtime],
          io,
        ),
      ).toBe(0);
      expect(err.some((l) => line.test(l))).toBe(true);
    }
    const bad = captureIo();
    expect(
      await main(
        ['segment', input, '--model', join(demo, 'model'), '--out', dir, '--runtime', 'gpu'],
        bad.io,
      ),
    ).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--runtime must be auto, onnxruntime, webgpu, tfjs; got gpu/);
  });

  it('bad usage exits 2 with a one-line error and no stack', async () => {
    const { io, err } = captureIo();
    expect(await main(['synth', '--patients', 'x', '--out', dir], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--patients must be an integer/);
    const threads = captureIo();
    const args = ['--backend', 'cpu', '--runtime', 'tfjs', 'train', '--data', dir, '--out', join(dir, 'm')];
    expect(await main([...args, '--threads', '2'], threads.io)).toBe(2);
    expect(threads.err.at(-1)).toMatch(/--threads 2: tfjs training threads run the wasm backend; cpu uses/);
    const runtime = captureIo();
    expect(
      await main(['--runtime', 'gpu', 'train', '--data', dir, '--out', join(dir, 'm')], runtime.io),
    ).toBe(2);
    expect(runtime.err.at(-1)).toMatch(/--runtime must be auto, onnxruntime, webgpu, tfjs; got gpu/);
    const badField = join(dir, 'bad-preset.json');
    await writeFile(badField, JSON.stringify({ base: 'quick', epochs: 'ten' }));
    const preset = captureIo();
    expect(await main(['demo', '--preset', badField, '--out', join(dir, 'd')], preset.io)).toBe(2);
    expect(preset.err.at(-1)).toMatch(
      /--preset .*bad-preset\.json: field 'epochs' must be an integer ≥ 1, got "ten"/,
    );
    const forced = captureIo({ MYOSEG_BACKEND: 'tfjs-node-gpu' });
    expect(await main(['doctor'], forced.io)).toBe(2);
    expect(forced.err).toEqual([
      "myoseg: backend 'tfjs-node-gpu' cannot be used: @tensorflow/tfjs-node-gpu is not installed",
    ]);
  });

  it('train, demo, evaluate and synth never write into a folder of the user, nor into --data', async () => {
    const mine = join(dir, 'users-folder');
    await mkdir(mine);
    await writeFile(join(mine, 'precious.txt'), 'keep');
    const data = join(demo, 'data');
    const model = join(demo, 'model');
    const cases: [string[], RegExp][] = [
      [
        ['train', '--data', data, '--out', mine],
        /--out .*users-folder: the folder holds files myoseg did not write \(precious\.txt\)/,
      ],
      [
        ['train', '--data', data, '--out', join(mine, 'precious.txt')],
        /precious\.txt: is a file, not a folder/,
      ],
      [['train', '--data', data, '--out', data], /--out .*: lies in or holds --data/],
      [['train', '--data', data, '--out', join(data, 'training')], /lies in or holds --data/],
      [['evaluate', '--data', data, '--model', model, '--out', mine], /users-folder: the folder holds files/],
      [
        ['evaluate', '--data', data, '--model', model, '--out', join(data, 'eval')],
        /lies in or holds --data/,
      ],
      [['demo', '--out', mine], /users-folder: the folder holds files/],
      [['synth', '--patients', '2', '--out', mine], /users-folder: the folder holds files/],
      [['demo', '--out', model], /holds a myoseg model folder, not a demo-run folder/],
    ];
    for (const [args, message] of cases) {
      const { io, err } = captureIo();
      expect(await main(['--backend', 'cpu', '--runtime', 'tfjs', ...args], io), args.join(' ')).toBe(2);
      expect(err.at(-1), args.join(' ')).toMatch(message);
      expect(err.join('\n')).not.toMatch(/\n\s+at /); // no stack
    }
    expect(await readdir(mine)).toEqual(['precious.txt']);
    expect(await readFile(join(mine, 'precious.txt'), 'utf8')).toBe('keep');
    expect((await readdir(dir)).filter((n) => n.includes('checkpoint'))).toEqual([]);
    expect((await readdir(join(data, 'training'))).every((n) => /^patient\d{3}$/.test(n))).toBe(true);
  });

  it('synth writes the ACDC layout', async () => {
    const { io, out } = captureIo();
    expect(await main(['synth', '--patients', '2', '--out', join(dir, 'twin'), '--seed', '4'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/wrote 2 synthetic patients/);
    expect((await readdir(join(dir, 'twin', 'training'))).sort()).toEqual(['patient001', 'patient002']);
  });
});
