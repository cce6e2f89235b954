export {
  checkPretrainedManifest,
  type LoadPretrainedOptions,
  loadPretrained,
  pretrainedReader,
} from './load-pretrained';
export { PRETRAINED_MODEL, type PretrainedModelInfo } from './pretrained-model';
