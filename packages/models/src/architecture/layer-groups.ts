import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelConfigError } from './errors';

const STEM_TO_LAYER2 = /^(conv1|bn1|relu|maxpool)(\.pad)?$|^layer[12]\./;
const LAYER3_TO_LAYER4 = /^layer[34]\./;

/** True for a BatchNorm layer (the layers fastai keeps training while a group is frozen). */
export function isBatchNormLayer(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/**
 * fastai's three layer groups of a ResNet U-Net, in order, for freezing and discriminative learning rates
 * (fastai's `_resnet_split`: `encoder[:6]`, `encoder[6:]`, the rest):
 * 0 the stem (`conv1`, `bn1`, max-pool) with layer1 and layer2; 1 layer3 and layer4; 2 everything else
 * (decoder and head). The input layer, which has no weights, is in none of them.
 *
 * @throws `ModelConfigError` when `model` has no torchvision-named encoder layers (not built by
 *   `buildUNet`) or nothing besides its encoder.
 */
export function unetLayerGroups(
  model: tfl.LayersModel,
): [tfl.layers.Layer[], tfl.layers.Layer[], tfl.layers.Layer[]] {
  const groups: [tfl.layers.Layer[], tfl.layers.Layer[], tfl.layers.Layer[]] = [[], [], []];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const g = STEM_TO_LAYER2.test(layer.name) ? 0 : LAYER3_TO_LAYER4.test(layer.name) ? 1 : 2;
    groups[g].push(layer);
  }
  if (groups.some((g) => g.length === 0)) {
    throw new ModelConfigError(
      `unetLayerGroups: model '${model.name}' is not a ResNet U-Net from buildUNet (group sizes ${groups.map((g) => g.length).join(', ')})`,
    );
  }
  return groups;
}
