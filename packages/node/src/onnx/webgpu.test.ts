import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readNifti } from '@myoseg/datasets';
import { pretrainedModelDir } from '@myoseg/pretrained/node';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameMasks } from '../../test/same-masks';
import { synthesizeSmallTwin } from '../../test/small-twin';
import { BackendUnavailableError } from '../errors';
import { loadPipelineFolder } from '../files/pipeline-folder';

// onnxruntime-node's WebGPU provider (Dawn) over Vulkan. Without a GPU, Chromium's SwiftShader ICD (Debian
// chromium) gives Vulkan on the CPU; libvulkan.so.1 is Debian's libvulkan1. CI installs both (scripts/system-deps.mjs,
// suite webgpu) and never skips.
const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const loader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
const icd = process.env.VK_ICD_FILENAMES ?? (existsSync(swiftShader) ? swiftShader : undefined);
const ready = icd !== undefined && loader.some(existsSync);
if (!ready && !process.env.CI)
  console.warn('SKIPPED: WebGPU tests (apt-get install chromium libvulkan1 to run them on SwiftShader)');
const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

let dir: string;
beforeAll(async () => {
  if (!ready && !process.env.CI) return;
  dir = await mkdtemp(join(tmpdir(), 'myoseg-webgpu-'));
  process.env.VK_ICD_FILENAMES = icd;
  process.env.XDG_RUNTIME_DIR ??= dir; // SwiftShader looks for it, and says so on stderr when unset
  await synthesizeSmallTwin(join(dir, 'twin'), 1, 3);
});
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe.skipIf(!ready && !process.env.CI)('WebGPU on onnxruntime-node (SwiftShader Vulkan here)', () => {
  // SwiftShader runs WebGPU on the CPU about 200× slower than onnxruntime's CPU kernels: two mid-ventricular slices
  it('segments twin slices as the CPU does: Dice ≥ 0.999 per slice', { timeout: 300_000 }, async () => {
    const patient = join(dir, 'twin', 'training', 'patient001');
    const [file] = (await readdir(patient)).filter((f) => /frame\d+\.nii\.gz$/.test(f));
    const image = readNifti(await readFile(join(patient, file)), { gunzip: gunzipSync });
    const [depth, rows, columns] = image.shape;
    const mid = Math.floor(depth / 2) - 1;
    const volume = ndarray(
      Float32Array.from(image.data.subarray(mid * rows * columns, (mid + 2) * rows * columns)),
      [2, rows, columns],
    );
    const cpu = await loadPipelineFolder(pretrainedModelDir(), { runtime: 'onnxruntime' });
    const gpu = await loadPipelineFolder(pretrainedModelDir(), { runtime: 'webgpu', precision: 'auto' });
    try {
      // SwiftShader has no shader-f16: precision 'auto' falls back to float32 and says why
      expect(gpu.runtimeNote).toMatch(
        /WebGPU execution provider \(Dawn\), float32 \(float16 not used: the WebGPU adapter cannot compute in float16 \(no shader-f16\)/,
      );
      const options = { spacing: image.spacing as [number, number, number] };
      const [a, b] = [
        await cpu.pipeline.segmentVolume(volume, options),
        await gpu.pipeline.segmentVolume(volume, options),
      ];
      expectSameMasks(a.mask, b.mask);
    } finally {
      cpu.dispose();
      gpu.dispose();
    }
  });

  it("precision 'float16' is refused where the adapter has no shader-f16, and off WebGPU", async () => {
    const e = await loadPipelineFolder(pretrainedModelDir(), {
      runtime: 'webgpu',
      precision: 'float16',
    }).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect((e as Error).message).toMatch(/--runtime webgpu: the WebGPU adapter cannot compute in float16/);
    await expect(
      loadPipelineFolder(pretrainedModelDir(), { runtime: 'onnxruntime', precision: 'float16' }),
    ).rejects.toThrow(/precision float16 runs on the WebGPU runtime only/);
  });

  it('without an adapter, --runtime webgpu is refused with exit 2, saying what it needs', async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [cli, 'segment', join(dir, 'twin'), '--out', join(dir, 'out'), '--runtime', 'webgpu'],
      { env: { ...process.env, VK_ICD_FILENAMES: join(dir, 'no-such-icd.json') } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--runtime webgpu: onnxruntime-node's WebGPU provider found no GPU adapter .*libvulkan/,
    );
  });
});
