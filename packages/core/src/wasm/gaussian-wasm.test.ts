import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ndarray from 'ndarray';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('gaussianWasm', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('ships exactly the bytes that gaussian.wat compiles to (scripts/build-wasm.mjs --check)', () => {
    const script = fileURLToPath(new URL('../../scripts/build-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it.each([
    ['WebAssembly is missing', undefined],
    ['the bytes do not validate (no SIMD)', { validate: (): boolean => false }],
    [
      'compiling is refused',
      {
        validate: (): boolean => true,
        Module: class {
          constructor() {
            throw new Error('refused by the Content-Security-Policy');
          }
        },
      },
    ],
  ])('is null where %s, and gaussianBlur falls back to JS with the same result', async (_, stub) => {
    const image = ndarray(
      Float32Array.from({ length: 99 }, (_, i) => (i * 37) % 11),
      [9, 11],
    );
    const { gaussianBlur: withWasm } = await import('../gaussian');
    const expected = Array.from(withWasm(image, 1.4).data);
    vi.resetModules();
    vi.stubGlobal('WebAssembly', stub);
    const { gaussianWasm } = await import('./gaussian-wasm');
    const { gaussianBlur } = await import('../gaussian');
    expect(gaussianWasm()).toBeNull();
    expect(Array.from(gaussianBlur(image, 1.4).data)).toEqual(expected);
  });
});
