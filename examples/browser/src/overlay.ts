/** An RGB colour, each channel 0–255. */
export type Rgb = readonly [number, number, number];

/** One mask drawn over the image. */
export interface MaskLayer {
  /** `H·W` values, row-major; any non-zero value is drawn. */
  mask: ArrayLike<number>;
  /** Its colour. */
  color: Rgb;
  /** How much of the colour covers the pixel, 0 (none) to 1 (opaque). */
  opacity: number;
}

/** The mask colours of the page: the model's output, and the review tool's masks A and B. */
export const COLORS = {
  model: [255, 40, 40],
  maskA: [0, 220, 90],
  maskB: [230, 60, 230],
} as const satisfies Record<string, Rgb>;

/**
 * Composites masks over a grey image into RGBA pixels (what `ImageData` takes): each layer in turn blends its
 * colour over the pixels its mask covers, `out = out · (1 − opacity) + colour · opacity`, so where two layers
 * overlap both colours show.
 *
 * @param grey - `H·W` grey levels 0–255, row-major.
 * @returns `H·W·4` bytes, alpha 255.
 * @throws RangeError when a mask's length differs from `grey`'s or an opacity lies outside 0–1.
 */
export function compositeOverlay(
  grey: ArrayLike<number>,
  layers: readonly MaskLayer[],
): Uint8ClampedArray<ArrayBuffer> {
  const n = grey.length;
  layers.forEach((layer, k) => {
    if (layer.mask.length !== n)
      throw new RangeError(`compositeOverlay: layer ${k} has ${layer.mask.length} pixels, the image ${n}`);
    if (!(layer.opacity >= 0 && layer.opacity <= 1))
      throw new RangeError(`compositeOverlay: layer ${k}'s opacity must lie in 0–1, got ${layer.opacity}`);
  });
  const rgb = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
  for (const { mask, color, opacity } of layers) {
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      for (let c = 0; c < 3; c++) rgb[3 * i + c] += (color[c] - rgb[3 * i + c]) * opacity;
    }
  }
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[4 * i + c] = rgb[3 * i + c];
    out[4 * i + 3] = 255;
  }
  return out;
}
