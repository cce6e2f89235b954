export { SafetensorsFormatError, WeightMismatchError, type WeightShapeMismatch } from './errors';
export {
  type LoadResNetWeightsOptions,
  loadResNetWeights,
  type ResNetWeightFormat,
  type ResNetWeightsReport,
} from './resnet-weights';
export {
  parseSafetensors,
  SAFETENSORS_FLOAT_DTYPES,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsTensor,
  safetensorsToFloat32,
} from './safetensors';
