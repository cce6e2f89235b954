import { assertInteger } from './validate';

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every platform.
 *
 * @param seed - any integer (taken modulo 2³²).
 * @returns a function giving uniform numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  assertInteger('seededRandom: seed', Math.abs(seed), 0);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher–Yates) driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
