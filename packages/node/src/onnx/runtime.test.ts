import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importFailure, loadOnnxRuntime } from './runtime';

describe('loadOnnxRuntime', () => {
  it('loads the installed onnxruntime-node once, with its version', async () => {
    const loaded = await loadOnnxRuntime();
    expect(loaded.reason).toBeUndefined();
    expect(loaded.version).toBe(ort.env.versions.node);
    expect(loaded.runtime?.Tensor).toBe(ort.Tensor);
    expect(loadOnnxRuntime()).toBe(loadOnnxRuntime());
  });

  it('tells a package that is not installed from one that fails to load', async () => {
    const specifier = 'onnxruntime-node-not-installed';
    const error = await import(/* @vite-ignore */ specifier).catch((e: unknown) => e);
    expect(importFailure(specifier, error)).toBe(`${specifier} is not installed`);
    const broken = Object.assign(new Error('libonnxruntime.so.1: cannot open shared object file'), {
      code: 'ERR_DLOPEN_FAILED',
    });
    expect(importFailure('onnxruntime-node', broken)).toBe(
      'onnxruntime-node failed to load: libonnxruntime.so.1: cannot open shared object file',
    );
  });
});
