import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCommand } from './commands/demo';
import type { CliIo } from './io';
import { main } from './program';

function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), status: () => {}, env };
  return { io, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('myoseg CLI', () => {
  it('doctor --json reports the wasm fallback and what to install for a GPU', async () => {
    const { io, out } = captureIo();
    expect(await main(['doctor', '--json'], io)).toBe(0);
    const info = JSON.parse(out.join('\n'));
    expect(info.backend.choice).toBe('wasm');
    expect(info.advice.join(' ')).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
  });

  it('bad usage exits 2 with a one-line error and no stack', async () => {
    const { io, err } = captureIo();
    expect(await main(['synth', '--patients', 'x', '--out', dir], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--patients must be an integer/);
    const forced = captureIo({ MYOSEG_BACKEND: 'tfjs-node-gpu' });
    expect(await main(['doctor'], forced.io)).toBe(2);
    expect(forced.err).toEqual([
      "myoseg: backend 'tfjs-node-gpu' cannot be used: @tensorflow/tfjs-node-gpu is not installed",
    ]);
  });

  it('synth writes the ACDC layout', async () => {
    const { io, out } = captureIo();
    expect(await main(['synth', '--patients', '2', '--out', join(dir, 'twin'), '--seed', '4'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/wrote 2 synthetic patients/);
    expect((await readdir(join(dir, 'twin', 'training'))).sort()).toEqual(['patient001', 'patient002']);
  });

  it('demo (tiny preset) writes the model, metrics, overlays and a self-contained report', async () => {
    const { io, out } = captureIo();
    const target = join(dir, 'demo');
    const code = await demoCommand(io, {
      patients: 5,
      seed: 1,
      runs: 1,
      out: target,
      preset: {
        base: 'quick',
        widthMultiplier: 1 / 16,
        localizerSize: [32, 32],
        segmenterSize: [24, 24],
        frozenEpochs: 1,
        epochs: 1,
        batchSize: 8,
      },
    });
    expect(code).toBe(0);
    const files = await readdir(target);
    for (const f of ['model', 'metrics.json', 'metrics.csv', 'report.html', 'report.json'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('overlay-') && f.endsWith('.png'))).toBe(true);
    const metrics = JSON.parse(await readFile(join(target, 'metrics.json'), 'utf8'));
    expect(metrics.rows).toHaveLength(5);
    const html = await readFile(join(target, 'report.html'), 'utf8');
    expect(html).toContain('data:image/png;base64,');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(out.join('\n')).toMatch(/localization, original size \+ Gaussian blur/);
  }, 240_000);
});
