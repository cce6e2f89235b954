import { describe, expect, it } from 'vitest';
import { convFlops } from './flops.mjs';

describe('convFlops', () => {
  it('counts 2 · Ho · Wo · kh · kw · Cin · Cout per convolution', () => {
    const convs = [
      { outHeight: 4, outWidth: 5, kernelHeight: 3, kernelWidth: 3, inChannels: 2, outChannels: 7 },
      { outHeight: 1, outWidth: 1, kernelHeight: 1, kernelWidth: 1, inChannels: 10, outChannels: 10 },
    ];
    expect(convFlops(convs)).toBe(2 * 4 * 5 * 9 * 2 * 7 + 2 * 100);
    expect(convFlops([])).toBe(0);
  });
});
