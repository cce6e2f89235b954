import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { unetLayerGroups } from '../architecture/layer-groups';
import { TrainingOptionsError } from './errors';

/** A model's layers split into groups, first encoder layers to decoder, as fastai's `splitter` splits them. */
export type LayerGroups = readonly (readonly layers.Layer[])[];

/** A trainable variable with what the optimizer needs to know about it. */
export interface TrainableParameter {
  /** The variable itself. */
  variable: tf.Variable;
  /** Index of its layer group. */
  group: number;
  /** False for BatchNorm and bias parameters: fastai's `wd_bn_bias=False` exempts them from weight decay. */
  decay: boolean;
}

/** Normalization layers: trained even in frozen groups (fastai's `train_bn`), never weight-decayed. */
const NORM_LAYERS = new Set(['BatchNormalization', 'LayerNormalization']);

const isNormLayer = (layer: layers.Layer): boolean => NORM_LAYERS.has(layer.getClassName());

const isBias = (w: LayerVariable): boolean => /(^|\/)bias$/.test(w.originalName);

/** The layers that own weights: nested models are opened up. */
function leafLayers(layer: layers.Layer): layers.Layer[] {
  const nested = (layer as unknown as { layers?: layers.Layer[] }).layers;
  return Array.isArray(nested) ? nested.flatMap(leafLayers) : [layer];
}

/**
 * Every weight variable of `model` in an order that does not change when layers are frozen or unfrozen
 * (`model.weights` lists trainable weights first, so its order does): leaf layers in order, each layer's own
 * weights in creation order. A weight shared by several layers is listed once.
 */
export function stableWeightOrder(model: LayersModel): LayerVariable[] {
  return [...new Set(model.layers.flatMap(leafLayers).flatMap((l) => l.weights))];
}

/**
 * The layer groups used when none are given: `unetLayerGroups(model)`, fastai's split of a ResNet U-Net.
 * Other models must pass their own groups.
 */
export function defaultLayerGroups(model: LayersModel): LayerGroups {
  return unetLayerGroups(model);
}

function checkGroups(what: string, groups: LayerGroups): void {
  if (groups.length < 1 || groups.some((g) => !Array.isArray(g))) {
    throw new TrainingOptionsError(`${what}: layerGroups must be a non-empty array of layer arrays`);
  }
}

/**
 * Freezes the first `n` layer groups (fastai's `freeze_to(n)`; negative `n` counts from the end): their
 * layers stop training, except normalization layers, which stay trainable (fastai's `train_bn=True`).
 * Later groups are made trainable.
 *
 * @throws {@link TrainingOptionsError} for empty groups or a non-integer `n`.
 */
export function freezeTo(n: number, layerGroups: LayerGroups): void {
  checkGroups('freezeTo', layerGroups);
  if (!Number.isInteger(n)) throw new TrainingOptionsError(`freezeTo: n must be an integer, got ${n}`);
  const frozen = n >= 0 ? n : layerGroups.length + n;
  layerGroups.forEach((group, g) => {
    for (const layer of group.flatMap(leafLayers)) layer.trainable = g >= frozen || isNormLayer(layer);
  });
}

/**
 * Freezes every layer group but the last (the decoder), as fastai's `freeze()`: those layers keep their
 * weights while training, except BatchNorm layers, which keep learning (fastai's `train_bn=True`).
 *
 * @param model - the model (a U-Net from `buildUNet` when `layerGroups` is left out).
 * @param layerGroups - its groups (default `unetLayerGroups(model)`: stem + layer1–2, layer3–4, decoder).
 * @throws {@link TrainingOptionsError} for fewer than 2 groups.
 */
export function freeze(model: LayersModel, layerGroups: LayerGroups = defaultLayerGroups(model)): void {
  if (layerGroups.length < 2) {
    throw new TrainingOptionsError(`freeze: needs at least 2 layer groups, got ${layerGroups.length}`);
  }
  freezeTo(-1, layerGroups);
}

/**
 * Makes every layer of every group trainable again (fastai's `unfreeze()`).
 *
 * @param model - the model (a U-Net from `buildUNet` when `layerGroups` is left out).
 * @param layerGroups - its groups (default `unetLayerGroups(model)`).
 */
export function unfreeze(model: LayersModel, layerGroups: LayerGroups = defaultLayerGroups(model)): void {
  freezeTo(0, layerGroups);
}

/**
 * The model's trainable variables with their group and weight-decay flag.
 *
 * @throws {@link TrainingOptionsError} when a trainable weight's layer is in no group, or in two.
 */
export function trainableParameters(model: LayersModel, layerGroups: LayerGroups): TrainableParameter[] {
  checkGroups('trainableParameters', layerGroups);
  const owner = new Map<LayerVariable, { group: number; decay: boolean }>();
  layerGroups.forEach((group, g) => {
    for (const layer of group.flatMap(leafLayers)) {
      for (const w of layer.weights) {
        if (owner.has(w)) {
          throw new TrainingOptionsError(`trainableParameters: layer ${layer.name} is in two layer groups`);
        }
        owner.set(w, { group: g, decay: !isNormLayer(layer) && !isBias(w) });
      }
    }
  });
  const missing = model.trainableWeights.filter((w) => !owner.has(w)).map((w) => w.name);
  if (missing.length > 0) {
    throw new TrainingOptionsError(`trainableParameters: weights in no layer group: ${missing.join(', ')}`);
  }
  return model.trainableWeights.map((w) => ({ variable: w.read() as tf.Variable, ...owner.get(w)! }));
}
