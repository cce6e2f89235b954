export { ACDC_LABELS, LOCALIZATION_LABELS, MYOCARDIUM_LABELS } from './acdc-labels';
export { boundingBox } from './bounding-box';
export { ejectionFraction, volumeMl } from './clinical';
export { type ClipIntensitiesOptions, clipIntensities } from './clip-intensities';
export {
  type Components,
  type Connectivity,
  fillHoles,
  labelComponents,
  largestConnectedComponent,
} from './components';
export { type CropOptions, cropImage, pasteMask } from './crop';
export { PAPER_FRAME, type SquareCropOptions, squareCropBox } from './crop-box';
export { distanceTransform } from './distance-transform';
export { InsufficientDataError, InvalidShapeError, ShapeMismatchError } from './errors';
export { type FiniteIntensities, finiteIntensities } from './finite-intensities';
export { type BoundaryMode, gaussianBlur, gaussianKernel1d, gaussianKernel2d } from './gaussian';
export { isMyosegError, MyosegError } from './myoseg-error';
export { type NormalizeOptions, normalizeIntensity } from './normalize';
export {
  type Affine,
  type AxisCodes,
  isIdentityReorientation,
  orientationOf,
  type Reorientation,
  reorient,
  reorientAffine,
  reorientation,
  reorientSpacing,
  restoreOrientation,
} from './orientation';
export { dice, iou } from './overlap';
export { seededRandom, shuffled } from './random';
export { type ResizeMethod, resize } from './resize';
export { bestSigma, DEFAULT_SIGMA_GRID, type RestoreOptions, restoreMask, type SigmaChoice } from './restore';
export { selectLabels } from './select-labels';
export {
  fitSigmaRegression,
  type SigmaRegression,
  type SigmaRegressionJSON,
  type SigmaSample,
  sigmaRegressionFromJSON,
} from './sigma-regression';
export { type PatientItem, type SplitOptions, splitByPatient } from './split';
export { averageSurfaceDistance, hausdorffDistance, type SurfaceDistanceOptions } from './surface-distance';
export type { Box, Image2D, Mask, NumericArray, NumericNdArray, Spacing } from './types';
