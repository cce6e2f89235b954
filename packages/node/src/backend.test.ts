import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { BackendUnavailableError } from './errors';

describe('initBackend', () => {
  it('falls back to wasm when the tfjs-node packages are absent, and says why it skipped them', async () => {
    const report = await initBackend({ env: {} });
    expect(report.choice).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.forced).toBe(false);
    expect(report.attempts.slice(0, 2)).toEqual([
      { choice: 'tfjs-node-gpu', ok: false, reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { choice: 'tfjs-node', ok: false, reason: '@tensorflow/tfjs-node is not installed' },
    ]);
    expect(report.simd).toBe(true);
    expect(report.threads).toBeGreaterThanOrEqual(1);
  });

  it('MYOSEG_BACKEND forces a backend', async () => {
    const report = await initBackend({ env: { MYOSEG_BACKEND: 'cpu' } });
    expect(report.choice).toBe('cpu');
    expect(report.forced).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
    expect(report.attempts.find((a) => a.choice === 'wasm')?.reason).toMatch(/not asked for/);
  });

  it('a forced backend that cannot load is a clear error', async () => {
    await expect(initBackend({ prefer: 'tfjs-node' })).rejects.toThrow(BackendUnavailableError);
    await expect(initBackend({ prefer: 'tfjs-node' })).rejects.toThrow(
      /'tfjs-node' cannot be used: @tensorflow\/tfjs-node is not installed/,
    );
    await expect(initBackend({ env: { MYOSEG_BACKEND: 'webgpu' } })).rejects.toThrow(
      /unknown backend 'webgpu' \(from MYOSEG_BACKEND\)/,
    );
  });
});
