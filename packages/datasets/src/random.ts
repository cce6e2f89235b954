import { seededRandom } from '@myoseg/core';
import { InvalidOptionError } from './errors';

/** A seeded pseudo-random number generator with the draws the twin needs. The same seed gives the same sequence. */
export interface Random {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** A uniform integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
  /** A standard normal number (mean 0, standard deviation 1). */
  normal(): number;
  /** One element of a non-empty list, chosen uniformly. */
  pick<T>(items: readonly T[]): T;
}

/** Mixes a 32-bit state into a well-spread 32-bit value (the murmur3 finalizer). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkSeed(what: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new InvalidOptionError(`${what}: seed must be a safe integer, got ${seed}`);
  }
}

/**
 * A seed derived from `seed` and a list of keys, so that independent streams (one per patient, per frame…)
 * do not depend on how many numbers the others drew.
 *
 * @param seed - a safe integer.
 * @param keys - integers or strings that name the stream.
 * @returns an unsigned 32-bit integer.
 */
export function deriveSeed(seed: number, ...keys: readonly (number | string)[]): number {
  checkSeed('deriveSeed', seed);
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.floor(seed / 0x100000000));
  for (const key of keys) {
    const text = String(key);
    for (let i = 0; i < text.length; i++) h = mix32(h ^ text.charCodeAt(i));
    h = mix32(h ^ 0x5bd1e995);
  }
  return h;
}

/**
 * A seeded generator: `@myoseg/core`'s `seededRandom` (mulberry32) on a hashed seed, with uniform, integer,
 * normal and pick draws. Deterministic across platforms, not cryptographic.
 *
 * @param seed - a safe integer; different seeds give unrelated sequences.
 */
export function createRandom(seed: number): Random {
  const next = seededRandom(deriveSeed(seed));
  let spare = Number.NaN;
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const value = spare;
        spare = Number.NaN;
        return value;
      }
      // Box–Muller: 1 - next() is in (0, 1], so the logarithm is finite.
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const a = 2 * Math.PI * next();
      spare = r * Math.sin(a);
      return r * Math.cos(a);
    },
    pick: (items) => {
      if (items.length === 0) throw new InvalidOptionError('Random.pick: the list is empty');
      return items[Math.floor(next() * items.length)];
    },
  };
}
