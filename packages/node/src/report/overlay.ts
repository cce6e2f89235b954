import { InvalidShapeError, normalizeIntensity, ShapeMismatchError } from '@myoseg/core';
import type { NdArray } from 'ndarray';
import { encodePng } from './png';

/** One mask drawn over the image by {@link renderOverlay}. */
export interface OverlayMask {
  /** `[H, W]` mask of the image's shape; any non-zero value is foreground. */
  mask: NdArray<Uint8Array>;
  /** Colour as `[r, g, b]`, each an integer in 0–255. */
  color: readonly [number, number, number];
  /** Opacity of the fill in [0, 1] (default 0.4); 0 draws no fill. */
  opacity?: number;
  /** Draws the mask's 1-pixel inner contour (in output pixels) in the full colour (default false). */
  outline?: boolean;
}

/** Options of {@link renderOverlay}. */
export interface OverlayOptions {
  /**
   * Intensities mapped to black and white: `[lo, hi]` with lo < hi, or `'auto'` (default) for the
   * image's 1st and 99th percentiles. Values outside are clipped; NaN is drawn black.
   */
  window?: readonly [number, number] | 'auto';
  /** Integer upscaling factor with nearest-neighbour sampling (default 1). */
  scale?: number;
}

/** An RGBA raster: `width · height · 4` bytes, row-major, fully opaque. */
export interface RgbaImage {
  /** R G B A bytes per pixel, top row first. */
  rgba: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

function checkMask(entry: OverlayMask, i: number, shape: readonly number[]): void {
  const what = `renderOverlay: masks[${i}]`;
  if (entry.mask.shape.length !== 2 || entry.mask.shape[0] !== shape[0] || entry.mask.shape[1] !== shape[1]) {
    throw new ShapeMismatchError(`${what}.mask vs image`, entry.mask.shape, shape);
  }
  if (
    !Array.isArray(entry.color) ||
    entry.color.length !== 3 ||
    entry.color.some((c) => !Number.isInteger(c) || c < 0 || c > 255)
  ) {
    throw new RangeError(
      `${what}.color: expected [r, g, b] with integers in 0–255, got ${String(entry.color)}`,
    );
  }
  const opacity = entry.opacity ?? 0.4;
  if (!(opacity >= 0 && opacity <= 1)) {
    throw new RangeError(`${what}.opacity: expected a number in [0, 1], got ${String(entry.opacity)}`);
  }
}

/** Grey levels 0–1 of the image, packed row-major, after windowing. */
function windowed(image: NdArray<Float32Array>, window: OverlayOptions['window']): Float32Array {
  const [h, w] = image.shape;
  if (window === undefined || window === 'auto') {
    return normalizeIntensity(image, { method: 'percentile', lower: 1, upper: 99 }).data;
  }
  const [lo, hi] = Array.isArray(window) ? window : [Number.NaN, Number.NaN];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new RangeError(
      `renderOverlay: options.window must be 'auto' or [lo, hi] with lo < hi, got ${String(window)}`,
    );
  }
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[y * w + x] = Math.min(1, Math.max(0, (image.get(y, x) - lo) / (hi - lo)));
  }
  return out;
}

/**
 * Draws a greyscale image with coloured masks on top, as an RGBA raster.
 *
 * The image is windowed to 0–255 grey; each mask, in order, is alpha-blended over it where it is set and,
 * with `outline`, its inner contour (mask pixels with a 4-neighbour outside the mask or the image) is
 * painted in its full colour. With `scale` > 1 pixels are repeated and the contour stays 1 output pixel wide.
 *
 * @param image - `[H, W]` Float32 image, any intensity units; strided views are accepted.
 * @param masks - masks of shape `[H, W]` drawn in order (later ones on top); may be empty.
 * @param options - the intensity window and the upscaling factor.
 * @returns an opaque raster of `W · scale` × `H · scale` pixels.
 * @throws InvalidShapeError when the image is not 2D or has no pixels; ShapeMismatchError when a mask's
 *   shape differs from the image's; RangeError for a bad colour, opacity, window or scale.
 */
export function renderOverlay(
  image: NdArray<Float32Array>,
  masks: readonly OverlayMask[],
  options: OverlayOptions = {},
): RgbaImage {
  if (image.shape.length !== 2 || image.shape[0] < 1 || image.shape[1] < 1) {
    throw new InvalidShapeError(
      `renderOverlay: image must be a 2D [H, W] array with H, W ≥ 1, got shape [${image.shape.join(', ')}]`,
    );
  }
  const [h, w] = image.shape;
  masks.forEach((m, i) => {
    checkMask(m, i, image.shape);
  });
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`renderOverlay: options.scale must be an integer ≥ 1, got ${String(options.scale)}`);
  }
  const grey = windowed(image, options.window);
  const width = w * scale;
  const height = h * scale;
  const rgb = new Float32Array(width * height * 3);
  for (let yo = 0; yo < height; yo++) {
    for (let xo = 0; xo < width; xo++) {
      const g = grey[Math.floor(yo / scale) * w + Math.floor(xo / scale)];
      const v = Number.isNaN(g) ? 0 : g * 255;
      rgb.fill(v, (yo * width + xo) * 3, (yo * width + xo) * 3 + 3);
    }
  }
  for (const { mask, color, opacity = 0.4, outline = false } of masks) {
    const inside = (yo: number, xo: number): boolean =>
      yo >= 0 &&
      yo < height &&
      xo >= 0 &&
      xo < width &&
      mask.get(Math.floor(yo / scale), Math.floor(xo / scale)) !== 0;
    for (let yo = 0; yo < height; yo++) {
      for (let xo = 0; xo < width; xo++) {
        if (!inside(yo, xo)) continue;
        const edge =
          outline && !(inside(yo - 1, xo) && inside(yo + 1, xo) && inside(yo, xo - 1) && inside(yo, xo + 1));
        const alpha = edge ? 1 : opacity;
        const p = (yo * width + xo) * 3;
        for (let c = 0; c < 3; c++) rgb[p + c] = rgb[p + c] * (1 - alpha) + color[c] * alpha;
      }
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = Math.round(rgb[i]);
    rgba[j + 1] = Math.round(rgb[i + 1]);
    rgba[j + 2] = Math.round(rgb[i + 2]);
    rgba[j + 3] = 255;
  }
  return { rgba, width, height };
}

/**
 * {@link renderOverlay} encoded as a PNG file (8-bit RGBA).
 *
 * @returns the bytes of the PNG file; see {@link renderOverlay} for the arguments and errors.
 */
export function overlayPng(
  image: NdArray<Float32Array>,
  masks: readonly OverlayMask[],
  options: OverlayOptions = {},
): Uint8Array {
  const { rgba, width, height } = renderOverlay(image, masks, options);
  return encodePng(rgba, width, height);
}
