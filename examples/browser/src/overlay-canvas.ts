import type { Box } from '@myoseg/core';
import { compositeOverlay, type MaskLayer } from './overlay';

/**
 * Draws a grey slice with masks over it into `canvas`, showing only `region` (end-exclusive, inside the slice),
 * `displaySize` CSS pixels on its larger side: an integer zoom (sharp pixels) when the region is smaller,
 * else shrunk to fit.
 *
 * @param grey - `H·W` grey levels, row-major, for a slice of `shape` `[H, W]`.
 */
export function drawOverlay(
  canvas: HTMLCanvasElement,
  grey: ArrayLike<number>,
  layers: readonly MaskLayer[],
  shape: readonly [number, number],
  region: Box,
  displaySize: number,
): void {
  const [h, w] = shape;
  const pixels = new ImageData(compositeOverlay(grey, layers), w, h);
  const rw = region.x1 - region.x0;
  const rh = region.y1 - region.y0;
  canvas.width = rw;
  canvas.height = rh;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser gives no 2D canvas');
  ctx.putImageData(pixels, -region.x0, -region.y0, region.x0, region.y0, rw, rh);
  const fit = displaySize / Math.max(rw, rh);
  const zoom = fit >= 1 ? Math.floor(fit) : fit;
  canvas.style.width = `${rw * zoom}px`;
  canvas.style.height = `${rh * zoom}px`;
}
