import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from './errors';
import { createRandom, deriveSeed } from './random';

describe('createRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    const a = createRandom(42);
    const b = createRandom(42);
    const first = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(first);
    expect(draw(43)).not.toEqual(first.slice(0, 5));
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('draws uniform and normal numbers with the expected moments', () => {
    const rng = createRandom(7);
    const n = 20000;
    const u = Array.from({ length: n }, () => rng.next());
    const z = Array.from({ length: n }, () => rng.normal());
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(u)).toBeCloseTo(0.5, 1);
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(mean(z.map((x) => x * x))).toBeCloseTo(1, 1);
    const ints = Array.from({ length: 1000 }, () => rng.int(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
  });

  it('refuses seeds that are not safe integers', () => {
    expect(() => createRandom(1.5)).toThrow(InvalidOptionError);
    expect(() => createRandom(Number.NaN)).toThrow(/seed/);
    expect(() => createRandom(0).pick([])).toThrow(/empty/);
  });
});

describe('deriveSeed', () => {
  it('depends on the seed and on every key', () => {
    const seeds = new Set([
      deriveSeed(1),
      deriveSeed(2),
      deriveSeed(1, 'patient', 0),
      deriveSeed(1, 'patient', 1),
      deriveSeed(1, 'frame', 0),
      deriveSeed(2 ** 40, 'patient', 0),
      deriveSeed(2 ** 40 + 1, 'patient', 0),
    ]);
    expect(seeds.size).toBe(7);
    expect(deriveSeed(1, 'patient', 3)).toBe(deriveSeed(1, 'patient', 3));
  });
});
