/**
 * A seed derived from `seed` and a counter (an epoch, a pass, an initializer), so that every pass draws
 * differently and reproducibly. Feed it to `seededRandom` from @myoseg/core.
 */
export function mixSeed(seed: number, k: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
