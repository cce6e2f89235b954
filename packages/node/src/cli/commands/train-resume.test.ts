import '@tensorflow/tfjs-backend-cpu';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PRESET } from '../../../test/tiny-preset';
import { loadPipelineFolder } from '../../files/pipeline-folder';
import { loadOnnxRuntime } from '../../onnx/runtime';

const ort = await loadOnnxRuntime();

const cli = join(import.meta.dirname, '..', '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);
let dir: string;
let data: string;
let preset: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'myoseg-resume-'));
  data = join(dir, 'data');
  await run(process.execPath, [cli, 'synth', '--patients', '5', '--out', data, '--seed', '3']);
  preset = join(dir, 'tiny.json');
  await writeFile(preset, JSON.stringify({ ...TINY_PRESET, epochs: 2, batchSize: 4 }));
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const train = (runtime: string, out: string, ...extra: string[]) => [
  cli,
  '--runtime',
  runtime,
  'train',
  '--data',
  data,
  '--preset',
  preset,
  '--out',
  out,
  '--seed',
  '1',
  '--threads',
  '2', // onnxruntime's threads, or 2 wasm workers of 2 rows each: a resumed run must still end where the whole one does
  ...extra,
];

/** Resolves when the process has printed `count` lines matching `pattern` on stderr. */
function waitForLines(child: ChildProcess, pattern: RegExp, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split('\n').filter((l) => pattern.test(l)).length >= count) resolve(text);
    });
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before ${count} × ${pattern}:\n${text}`)),
    );
  });
}

const weightsOf = async (folder: string) => {
  const loaded = await loadPipelineFolder(folder, { runtime: 'tfjs' });
  const w = [loaded.localizerModel, loaded.segmenterModel].map((m) =>
    m.getWeights().map((t) => Array.from(t.dataSync())),
  );
  loaded.dispose();
  return w;
};

describe('myoseg train: kill -9 mid-run, then --resume', () => {
  for (const [runtime, says] of [
    ['tfjs', /^training: tfjs wasm, 2 threads$/m],
    ['onnxruntime', /^training: onnxruntime-node [\d.]+, 2 threads$/m],
  ] as const) {
    it.skipIf(runtime === 'onnxruntime' && ort.runtime === null)(
      `ends with the same model as an uninterrupted run, and removes its checkpoint (${runtime})`,
      async () => {
        const whole = join(dir, `${runtime}-whole`);
        expect((await run(process.execPath, train(runtime, whole))).stderr).toMatch(says);
        expect(await readdir(dir)).not.toContain(`${runtime}-whole.checkpoint`);

        const killed = join(dir, `${runtime}-killed`);
        const child = spawn(process.execPath, train(runtime, killed), {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        // the 4th checkpoint is the segmenter's first epoch: kill while its second epoch trains
        await waitForLines(child, /^checkpoint: /, 4);
        child.kill('SIGKILL');
        await new Promise((r) => child.on('exit', r));
        expect(await readdir(dir)).toContain(`${runtime}-killed.checkpoint`);
        expect(await readdir(dir)).not.toContain(`${runtime}-killed`);
        expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);

        const { stderr } = await run(process.execPath, train(runtime, killed, '--resume'));
        expect(stderr).toMatch(/resuming segmenter training after frozen epoch 1/);
        expect(stderr).not.toMatch(/\[localizer\] epoch/);
        expect(await weightsOf(killed)).toEqual(await weightsOf(whole));
        expect(await readdir(dir)).not.toContain(`${runtime}-killed.checkpoint`);
      },
      180_000,
    );
  }

  it('--resume without a checkpoint says where it looked; a bad --preset is one line', async () => {
    const none = await run(process.execPath, train('tfjs', join(dir, 'none'), '--resume')).catch((e) => e);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--resume: no usable checkpoint in .*none\.checkpoint/);
    const args = train('tfjs', join(dir, 'x'));
    args[args.indexOf(preset)] = 'nope.yaml';
    const badPreset = await run(process.execPath, args).catch((e) => e);
    expect(badPreset.code).toBe(2);
    expect(badPreset.stderr).toMatch(
      /--preset must be paper, quick, standard or a \.json file, got nope\.yaml/,
    );
  });
});
