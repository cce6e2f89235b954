import ndarray from 'ndarray';
import type { SegmentationSample } from '../data';
import { chance, type RandomSource, uniform } from './draws';
import { assertPacked } from './filters';

/** A rotation and an isotropic scaling about the image centre, in nnU-Net's convention. */
export interface ScaleRotation {
  /** Rotation in degrees (counter-clockwise in image coordinates, rows down); 0 for none. */
  angleDeg: number;
  /**
   * Factor on the sampling grid, as nnU-Net's `scaling` ("larger numbers = smaller objects"): 1.4 shows the
   * content at 1/1.4 of its size (a zoom out, the new border filled with 0 and background), 0.7 at 1/0.7 (a
   * zoom in). Must be > 0.
   */
  scaling: number;
}

/**
 * Rotates and scales a sample about its centre: output pixel `p` samples the input at `c + R·s·(p − c)`, the
 * image bilinearly and the mask by nearest neighbour, with zeros outside the input (torch `grid_sample`'s
 * `padding_mode='zeros'`, as nnU-Net), so a zoom out adds background around a smaller heart.
 *
 * @param sample - packed `[H, W]` image and mask (any size ≥ 1 × 1).
 * @returns a new sample of the same shape; `{ angleDeg: 0, scaling: 1 }` gives an equal copy.
 */
export function scaleRotate(
  sample: SegmentationSample,
  { angleDeg, scaling }: ScaleRotation,
): SegmentationSample {
  assertPacked('scaleRotate: sample.image', sample.image);
  assertPacked('scaleRotate: sample.mask', sample.mask);
  const [h, w] = sample.image.shape;
  const src = sample.image.data;
  const labels = sample.mask.data;
  const t = (angleDeg * Math.PI) / 180;
  const c = Math.cos(t) * scaling;
  const s = Math.sin(t) * scaling;
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const image = new Float32Array(h * w);
  const mask = new Uint8Array(h * w);
  const at = (y: number, x: number) => (y >= 0 && y < h && x >= 0 && x < w ? src[y * w + x] : 0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const dy = y - cy;
      const ix = cx + c * dx - s * dy;
      const iy = cy + s * dx + c * dy;
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const fx = ix - x0;
      const fy = iy - y0;
      const k = y * w + x;
      image[k] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
        fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      const nx = Math.round(ix);
      const ny = Math.round(iy);
      mask[k] = ny >= 0 && ny < h && nx >= 0 && nx < w ? labels[ny * w + nx] : 0;
    }
  }
  return { image: ndarray(image, [h, w]), mask: ndarray(mask, [h, w]) };
}

/** The spatial part of nnU-Net v2's training augmentation (see {@link NNUNET_SPATIAL}). */
export interface NnunetSpatialOptions {
  /** Largest rotation in degrees, in [0, 180]. */
  rotateDeg: number;
  /** Probability of a rotation, in [0, 1]. */
  rotationProbability: number;
  /** Range `[min, max]` of the grid factor of {@link ScaleRotation.scaling}, 0 < min ≤ max. */
  scaling: readonly [number, number];
  /** Probability of a scaling, in [0, 1]. */
  scalingProbability: number;
}

/**
 * nnU-Net v2's 2D spatial augmentation (`nnUNetTrainer.get_training_transforms`, `SpatialTransform`):
 * rotation by up to ±180° with probability 0.2 (2D patches whose sides differ by less than 1.5×), scaling of
 * the grid by a factor uniform in [0.7, 1.4] with probability 0.2 (content shown at 0.71–1.43× its size: a zoom
 * in or out), elastic deformation off (`p_elastic_deform=0`), mirroring left out (it swaps the ventricles).
 */
export const NNUNET_SPATIAL: Readonly<NnunetSpatialOptions> = Object.freeze({
  rotateDeg: 180,
  rotationProbability: 0.2,
  scaling: Object.freeze([0.7, 1.4] as const),
  scalingProbability: 0.2,
});

/**
 * Draws nnU-Net's rotation and scaling for one sample from `random` and applies them with {@link scaleRotate}.
 *
 * @returns the sample itself when neither is drawn, else a new sample of the same shape.
 */
export function randomScaleRotate(
  sample: SegmentationSample,
  options: NnunetSpatialOptions,
  random: RandomSource,
): SegmentationSample {
  const rotate = chance(random, options.rotationProbability);
  const scale = chance(random, options.scalingProbability);
  if (!rotate && !scale) return sample;
  const angleDeg = rotate ? uniform(random, -options.rotateDeg, options.rotateDeg) : 0;
  const scaling = scale ? uniform(random, options.scaling[0], options.scaling[1]) : 1;
  return scaleRotate(sample, { angleDeg, scaling });
}
