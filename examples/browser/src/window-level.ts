/** The intensities shown as black (`low`) and white (`high`); values in between map linearly to grey. */
export interface DisplayWindow {
  /** Intensity shown as black. */
  low: number;
  /** Intensity shown as white (> `low`). */
  high: number;
}

/** The contrast and brightness sliders. */
export interface WindowAdjustment {
  /** Contrast: 1 shows the automatic window, 2 a window half as wide (steeper), 0.5 twice as wide. > 0. */
  contrast: number;
  /** Brightness from -1 to 1: 0 leaves the window, 0.5 moves it down by half its automatic width (brighter). */
  brightness: number;
}

/**
 * The automatic window of a slice: its 1st and 99th intensity percentiles (nearest rank), so that a few bright
 * outliers do not darken the heart; the full range when those two are equal; `{ low: 0, high: 1 }` for an empty
 * or constant slice.
 */
export function autoWindow(pixels: ArrayLike<number>): DisplayWindow {
  const sorted = Float64Array.from(pixels).sort();
  const n = sorted.length;
  if (n === 0) return { low: 0, high: 1 };
  const at = (q: number) => sorted[Math.round(q * (n - 1))];
  let low = at(0.01);
  let high = at(0.99);
  if (!(high > low)) [low, high] = [sorted[0], sorted[n - 1]];
  return high > low ? { low, high } : { low, high: low + 1 };
}

/**
 * The window after the sliders: its width divided by `contrast` about its centre, then moved down by
 * `brightness` times its automatic width.
 *
 * @throws RangeError for a contrast that is not > 0 or a brightness that is not finite.
 */
export function adjustWindow(base: DisplayWindow, adjustment: WindowAdjustment): DisplayWindow {
  const { contrast, brightness } = adjustment;
  if (!(contrast > 0 && Number.isFinite(contrast)))
    throw new RangeError(`adjustWindow: contrast must be > 0, got ${contrast}`);
  if (!Number.isFinite(brightness))
    throw new RangeError(`adjustWindow: brightness must be finite, got ${brightness}`);
  const width = base.high - base.low;
  const centre = (base.low + base.high) / 2 - brightness * width;
  const half = width / contrast / 2;
  return { low: centre - half, high: centre + half };
}

/** Grey levels 0–255 of `pixels` through `window` (below `low` → 0, above `high` → 255, rounded half to even). */
export function toGrey(pixels: ArrayLike<number>, window: DisplayWindow): Uint8ClampedArray {
  const out = new Uint8ClampedArray(pixels.length);
  const { low } = window;
  const width = window.high - low;
  for (let i = 0; i < pixels.length; i++) out[i] = ((pixels[i] - low) * 255) / width;
  return out;
}
