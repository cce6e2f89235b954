import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { registerUNetLayers } from '../architecture';
import type { Normalization } from './data';
import { ModelCardError } from './errors';

/** The model card format this version writes and reads. */
export const MODEL_CARD_VERSION = 1;

/** The key of the model card in the saved model's `userDefinedMetadata`. */
const CARD_KEY = 'myosegModelCard';

/** What a saved model is: its architecture, input, classes, the normalization its inputs need, how it trained. */
export interface ModelCard {
  /** Encoder name, e.g. `'resnet34'`. */
  encoder: string;
  /** Input size `[h, w]` in pixels. */
  inputSize: [number, number];
  /** Number of output classes. */
  numClasses: number;
  /** One name per class, class 0 first (e.g. `['background', 'myocardium']`). */
  labels: string[];
  /** The input normalization (see `makeBatches`). */
  normalization: Normalization;
  /** Training facts and metrics (epochs, rates, final loss, validation Dice…): JSON values. */
  training: Record<string, number | string | boolean | null>;
  /** Card format version ({@link MODEL_CARD_VERSION}). */
  version: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that `value` is a valid {@link ModelCard} and returns it typed.
 *
 * @throws {@link ModelCardError} naming the first missing or invalid field (or a card from a newer version).
 */
export function parseModelCard(value: unknown): ModelCard {
  const bad = (field: string, expected: string): never => {
    throw new ModelCardError(`model card: ${field} must be ${expected}`);
  };
  if (value === undefined) throw new ModelCardError('model card: the saved model has no myoseg model card');
  if (!isObject(value)) bad('the card', 'an object');
  const c = value as Record<string, unknown>;
  if (c.version !== MODEL_CARD_VERSION)
    bad('version', `${MODEL_CARD_VERSION} (got ${JSON.stringify(c.version)})`);
  if (typeof c.encoder !== 'string' || c.encoder === '') bad('encoder', 'a non-empty string');
  const size = c.inputSize;
  if (!Array.isArray(size) || size.length !== 2 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    bad('inputSize', '[h, w] of integers ≥ 1');
  }
  if (!Number.isInteger(c.numClasses) || (c.numClasses as number) < 1) bad('numClasses', 'an integer ≥ 1');
  const labels = c.labels;
  if (!Array.isArray(labels) || labels.length !== c.numClasses || labels.some((l) => typeof l !== 'string')) {
    bad('labels', `${c.numClasses} strings (one per class)`);
  }
  if (c.normalization !== 'imagenet' && c.normalization !== 'per-image')
    bad('normalization', "'imagenet' or 'per-image'");
  const training = c.training;
  if (
    !isObject(training) ||
    Object.values(training).some((v) => v !== null && !['number', 'string', 'boolean'].includes(typeof v))
  ) {
    bad('training', 'an object of numbers, strings, booleans or null');
  }
  return c as unknown as ModelCard;
}

function checkCardFitsModel(card: ModelCard, model: LayersModel): void {
  const [, h, w] = model.inputs[0].shape;
  const classes = model.outputs[0].shape[3];
  if ((h !== null && h !== card.inputSize[0]) || (w !== null && w !== card.inputSize[1])) {
    throw new ModelCardError(
      `model card: inputSize [${card.inputSize.join(', ')}] differs from the model input [${h}, ${w}]`,
    );
  }
  if (classes !== card.numClasses) {
    throw new ModelCardError(
      `model card: numClasses ${card.numClasses} differs from the model's ${classes} output channels`,
    );
  }
}

/**
 * Saves `model` through a tfjs IO handler (memory, browser storage, or @myoseg/node's files) with its model
 * card in the artifacts' `userDefinedMetadata`.
 *
 * @param card - the card, without `version` (written as {@link MODEL_CARD_VERSION}).
 * @throws {@link ModelCardError} when the card is invalid or disagrees with the model (size, classes).
 */
export async function saveModel(
  model: LayersModel,
  handler: tf.io.IOHandler,
  card: Omit<ModelCard, 'version'>,
): Promise<tf.io.SaveResult> {
  const full = parseModelCard({ ...card, version: MODEL_CARD_VERSION });
  checkCardFitsModel(full, model);
  if (handler.save === undefined) throw new ModelCardError('saveModel: the IO handler cannot save');
  const save = handler.save.bind(handler);
  return model.save(
    tf.io.withSaveHandler((artifacts) =>
      save({ ...artifacts, userDefinedMetadata: { ...artifacts.userDefinedMetadata, [CARD_KEY]: full } }),
    ),
  );
}

/** A model loaded by {@link loadModel}, with its card. */
export interface LoadedModel {
  /** The model, weights loaded. */
  model: LayersModel;
  /** Its model card. */
  card: ModelCard;
}

/**
 * Loads a model saved by {@link saveModel} and its card; the card is checked before the model is built.
 * The package's own custom layers (the U-Net's `PixelShuffle`) are registered first; other custom layers
 * must be registered by the caller.
 *
 * @throws {@link ModelCardError} when the artifacts carry no valid card or it disagrees with the model.
 */
export async function loadModel(handler: tf.io.IOHandler): Promise<LoadedModel> {
  if (handler.load === undefined) throw new ModelCardError('loadModel: the IO handler cannot load');
  const artifacts = await handler.load();
  const card = parseModelCard(
    (artifacts.userDefinedMetadata as Record<string, unknown> | undefined)?.[CARD_KEY],
  );
  registerUNetLayers();
  const model = await loadLayersModel(tf.io.fromMemory(artifacts));
  try {
    checkCardFitsModel(card, model);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, card };
}
