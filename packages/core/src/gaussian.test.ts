import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { f32, fixtures, maxAbsDiff } from '../test/fixtures';
import {
  type BoundaryMode,
  blurSeparableJs,
  blurSeparableWasm,
  gaussianBlur,
  gaussianKernel1d,
  gaussianKernel2d,
} from './gaussian';
import { gaussianWasm } from './wasm/gaussian-wasm';

describe('gaussianKernel1d', () => {
  it('samples eq. (1) with radius round(4σ), normalized', () => {
    const k = gaussianKernel1d(1);
    expect(k.length).toBe(9);
    const raw = [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((x) => Math.exp(-(x * x) / 2));
    const sum = raw.reduce((a, b) => a + b, 0);
    expect(
      maxAbsDiff(
        k,
        raw.map((v) => v / sum),
      ),
    ).toBeLessThan(1e-15);
    expect(gaussianKernel1d(0.1).length).toBe(1); // round(0.4) = 0
    expect(gaussianKernel1d(0.13).length).toBe(3); // round(0.52) = 1
    expect(gaussianKernel1d(2, { truncate: 2 }).length).toBe(9);
  });

  it('gives [1] for σ = 0 and rejects negative, NaN and infinite σ', () => {
    expect(Array.from(gaussianKernel1d(0))).toEqual([1]);
    expect(() => gaussianKernel1d(-0.1)).toThrow(RangeError);
    expect(() => gaussianKernel1d(Number.NaN)).toThrow(/sigma/);
    expect(() => gaussianKernel1d(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('property: the 1D and 2D kernels sum to 1 and are symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 6, noNaN: true }), (sigma) => {
        const k = gaussianKernel1d(sigma);
        expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (let i = 0; i < k.length; i++) expect(k[i]).toBe(k[k.length - 1 - i]);
        const k2 = gaussianKernel2d(sigma);
        expect(k2.shape).toEqual([k.length, k.length]);
        expect(k2.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }),
    );
  });
});

describe('gaussianBlur', () => {
  const { shape, image, cases } = fixtures.gaussian;

  it.each(cases.map((c) => [c.sigma, c.mode, c.out] as const))(
    'equals scipy.ndimage.gaussian_filter (σ = %s, mode %s) bit for bit, and so does the JS fallback',
    (sigma, mode, expected) => {
      const out = gaussianBlur(f32(image, shape), sigma, { mode });
      expect(out.shape).toEqual(shape);
      const scipy = expected.map(Math.fround);
      expect(maxAbsDiff(out.data, scipy)).toBe(0);
      const [h, w] = shape;
      const js = blurSeparableJs({
        src: Float32Array.from(image),
        h,
        w,
        k: gaussianKernel1d(sigma),
        mode,
        cval: 0,
      });
      expect(maxAbsDiff(js, scipy)).toBe(0);
    },
  );

  it('blurs a strided (transposed) view like its packed copy', () => {
    const img = f32(image, shape);
    const t = img.transpose(1, 0);
    const packed = ndarray(new Float32Array(t.size), [shape[1], shape[0]]);
    for (let y = 0; y < shape[1]; y++) for (let x = 0; x < shape[0]; x++) packed.set(y, x, t.get(y, x));
    expect(maxAbsDiff(gaussianBlur(t, 1.3).data, gaussianBlur(packed, 1.3).data)).toBe(0);
  });

  it('keeps a constant image constant in reflect and nearest modes', () => {
    const c = f32(new Array(35).fill(4.25), [5, 7]);
    for (const mode of ['reflect', 'nearest'] as const) {
      expect(maxAbsDiff(gaussianBlur(c, 2.2, { mode }).data, new Array(35).fill(4.25))).toBeLessThan(1e-5);
    }
  });

  it('property: σ = 0 is the identity and the input is never modified', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.float({ min: -1000, max: 1000, noNaN: true }),
        (h, w, v) => {
          const data = Float32Array.from({ length: h * w }, (_, i) => v * ((i % 5) - 2));
          const img = ndarray(data.slice(), [h, w]);
          expect(Array.from(gaussianBlur(img, 0).data)).toEqual(Array.from(data));
          gaussianBlur(img, 1.5);
          expect(Array.from(img.data)).toEqual(Array.from(data));
        },
      ),
    );
  });

  it('rejects a bad mode and a 3D input by name', () => {
    // @ts-expect-error testing a bad mode from untyped callers
    expect(() => gaussianBlur(f32([1, 2], [1, 2]), 1, { mode: 'wrap' })).toThrow(/mode/);
    expect(() => gaussianBlur(f32([1, 2], [1, 1, 2]), 1)).toThrow(/gaussianBlur\(image\).*2D/);
  });
});

describe('the WebAssembly and JS blurs', () => {
  const bits = (a: Float32Array | null) => (a === null ? null : Array.from(new Uint32Array(a.buffer)));

  it('has the WebAssembly kernel in Node, so the comparisons below run it', () => {
    expect(gaussianWasm()).not.toBeNull();
  });

  it('property: give the same bits for any shape, σ, mode, cval and magnitude', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 1, max: 37 }),
        fc.double({ min: 0.13, max: 5, noNaN: true }),
        fc.constantFrom<BoundaryMode>('reflect', 'nearest', 'constant'),
        fc.float({ min: -100, max: 100, noNaN: true }),
        fc.integer({ min: -30, max: 30 }),
        (h, w, sigma, mode, cval, exponent) => {
          const src = Float32Array.from({ length: h * w }, (_, i) => Math.sin(i * 1.7 + h) * 2 ** exponent);
          const k = gaussianKernel1d(sigma);
          expect(bits(blurSeparableWasm({ src, h, w, k, mode, cval }))).toEqual(
            bits(blurSeparableJs({ src, h, w, k, mode, cval })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give the same bits on images that make the WebAssembly memory grow', () => {
    for (const [h, w] of [
      [300, 517],
      [20, 1030],
      [1030, 3],
    ]) {
      const src = Float32Array.from({ length: h * w }, (_, i) => ((i * 7919) % 1013) / 7);
      for (const sigma of [0.6, 2, 3.7]) {
        const k = gaussianKernel1d(sigma);
        const wasm = blurSeparableWasm({ src, h, w, k, mode: 'reflect', cval: 0 });
        expect(wasm).not.toBeNull();
        expect(bits(wasm)).toEqual(bits(blurSeparableJs({ src, h, w, k, mode: 'reflect', cval: 0 })));
      }
    }
  });
});
