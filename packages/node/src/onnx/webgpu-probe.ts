import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pretrainedModelDir } from '@myoseg/pretrained/node';
import { createSession } from './ort-stage';
import type { OnnxRuntime } from './runtime';

/** Whether onnxruntime-node's WebGPU provider gets a GPU adapter here, and why not when it does not. */
export interface WebGpuProbe {
  /** True when a session could be created on the WebGPU provider. */
  available: boolean;
  /** Why not (the provider's own words and what it needs); absent when available. */
  reason?: string;
}

/**
 * Asks onnxruntime-node's WebGPU provider for an adapter by creating a session of the pretrained localizer on it
 * (what `--runtime webgpu` does first). Takes about a second; on Linux it needs libvulkan.so.1 and a Vulkan driver.
 */
export async function probeWebGpu(ort: OnnxRuntime): Promise<WebGpuProbe> {
  // Mesa's Vulkan drivers complain on stderr when XDG_RUNTIME_DIR is unset (containers, CI)
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  try {
    const bytes = new Uint8Array(await readFile(join(pretrainedModelDir(), 'localizer.onnx')));
    const session = await createSession(ort, bytes, 1, 'doctor', 'webgpu');
    await session.release();
    return { available: true };
  } catch (e) {
    return { available: false, reason: (e as Error).message };
  }
}
