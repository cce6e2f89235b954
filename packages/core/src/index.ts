export { boundingBox } from './bounding-box';
export { InsufficientDataError, InvalidShapeError, ShapeMismatchError } from './errors';
export { dice, iou } from './overlap';
export type { Box, Image2D, Mask, NumericArray, NumericNdArray, Spacing } from './types';
