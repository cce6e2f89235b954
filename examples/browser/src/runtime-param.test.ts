import { describe, expect, it } from 'vitest';
import { runtimeParams } from './runtime-param';

describe('runtimeParams', () => {
  it('reads ?runtime= and ?threads=, with auto and 0 by default', () => {
    expect(runtimeParams('')).toEqual({ runtime: 'auto', threads: 0, precision: 'float32', problems: [] });
    expect(runtimeParams('?runtime=wasm&threads=1&precision=auto')).toEqual({
      runtime: 'wasm',
      threads: 1,
      precision: 'auto',
      problems: [],
    });
    expect(runtimeParams('?model=x&runtime=webgpu').runtime).toBe('webgpu');
  });

  it('falls back to the defaults on a value it does not know, and says so', () => {
    expect(runtimeParams('?runtime=webgl&threads=two&precision=half')).toEqual({
      runtime: 'auto',
      threads: 0,
      precision: 'float32',
      problems: [
        '?runtime=webgl is not one of auto, webgpu, wasm; using auto',
        "?threads=two is not a whole number 0–64; using 0 (onnxruntime-web's choice)",
        '?precision=half is not one of float32, auto, float16; using float32',
      ],
    });
  });
});
