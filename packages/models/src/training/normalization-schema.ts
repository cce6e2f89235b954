import * as v from 'valibot';

/** Checks a {@link Normalization}. */
export const NormalizationSchema = v.picklist(['imagenet', 'per-image']);

/**
 * How samples become input tensors: `'imagenet'` scales each image to [0, 1] by its min and max (as an
 * 8-bit export would) and applies ImageNet's mean and std per channel (for pretrained encoders);
 * `'per-image'` gives each image zero mean and unit variance.
 */
export type Normalization = v.InferOutput<typeof NormalizationSchema>;
