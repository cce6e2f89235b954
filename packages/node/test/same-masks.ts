import { dice, type Mask } from '@myoseg/core';
import ndarray from 'ndarray';
import { expect } from 'vitest';

/**
 * Asserts that two runtimes' `[D, H, W]` masks of one stack agree: `reference` finds some myocardium, and every
 * slice's Dice is at least `minDice` (1 where both are empty).
 */
export function expectSameMasks(reference: Mask, other: Mask, minDice = 0.999): void {
  const [d, h, w] = reference.shape;
  expect(other.shape).toEqual(reference.shape);
  expect(reference.data.some((v) => v === 1)).toBe(true);
  for (let z = 0; z < d; z++) {
    const slice = (m: Mask) => ndarray(m.data.subarray(z * h * w, (z + 1) * h * w), [h, w]);
    expect(dice(slice(reference), slice(other)), `slice ${z}`).toBeGreaterThanOrEqual(minDice);
  }
}
