export {
  checkPretrainedManifest,
  type LoadPretrainedOnnxOptions,
  type LoadPretrainedOptions,
  loadPretrained,
  pretrainedReader,
} from './load-pretrained';
export type { PretrainedModelInfo } from './pretrained-info';
export { PRETRAINED_MODEL } from './pretrained-model';
