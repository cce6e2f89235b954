import type { Random } from '../random';
import type { TwinBiasField } from './anatomy';

/**
 * A smooth random field in [-1, 1], `[H, W]`: bilinear interpolation of random values on a grid of
 * `cellPx`-pixel cells (value noise).
 */
export function smoothField(rng: Random, h: number, w: number, cellPx: number): Float32Array {
  const gh = Math.ceil(h / cellPx) + 2;
  const gw = Math.ceil(w / cellPx) + 2;
  const grid = new Float32Array(gh * gw);
  for (let i = 0; i < grid.length; i++) grid[i] = 2 * rng.next() - 1;
  const x0 = new Int32Array(w);
  const fx = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    x0[x] = Math.floor(x / cellPx);
    fx[x] = x / cellPx - x0[x];
  }
  const line = new Float32Array(gw);
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y / cellPx);
    const fy = y / cellPx - y0;
    for (let g = 0; g < gw; g++) line[g] = grid[y0 * gw + g] * (1 - fy) + grid[(y0 + 1) * gw + g] * fy;
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = line[x0[x]] * (1 - fx[x]) + line[x0[x] + 1] * fx[x];
  }
  return out;
}

/**
 * A smooth multiplicative coil bias field `[H, W]`: exp(amplitude · (gradient · linear ramp − curvature ·
 * r²)), normalised to a mean of 1; amplitude 0 gives all ones.
 */
export function biasField(h: number, w: number, bias: TwinBiasField): Float32Array {
  const out = new Float32Array(h * w);
  const ca = Math.cos(bias.angle);
  const sa = Math.sin(bias.angle);
  let sum = 0;
  for (let y = 0; y < h; y++) {
    const Y = (2 * y) / h - 1;
    for (let x = 0; x < w; x++) {
      const X = (2 * x) / w - 1;
      const f = Math.exp(
        bias.amplitude * (bias.gradient * (X * ca + Y * sa) - bias.curvature * (X * X + Y * Y)),
      );
      out[y * w + x] = f;
      sum += f;
    }
  }
  const mean = sum / out.length;
  for (let i = 0; i < out.length; i++) out[i] /= mean;
  return out;
}

const TABLE_BITS = 16;

/** A table of 65536 seeded normal samples of standard deviation `sigma`, for {@link ricianNoise}. */
export function normalTable(rng: Random, sigma: number): Float32Array {
  const table = new Float32Array(1 << TABLE_BITS);
  for (let i = 0; i < table.length; i++) table[i] = sigma * rng.normal();
  return table;
}

/**
 * Magnitude of the signal plus complex Gaussian noise in each channel: Rician noise, as in magnitude MR
 * images. The Gaussian values come from `table` ({@link normalTable}) indexed by a xorshift stream seeded from
 * `rng`: several times faster than drawing each value, and as random to the eye.
 */
export function ricianNoise(image: Float32Array, table: Float32Array, rng: Random): void {
  let state = Math.floor(rng.next() * 0xffffffff) | 1;
  const mask = (1 << TABLE_BITS) - 1;
  for (let i = 0; i < image.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const re = image[i] + table[state & mask];
    const im = table[(state >>> 16) & mask];
    image[i] = Math.sqrt(re * re + im * im);
  }
}
