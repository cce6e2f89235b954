import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { registerUNetLayers } from '../architecture';
import { parseFields, problemMessage } from '../schema/parse-fields';
import { ModelCardError } from './errors';
import { MODEL_CARD_VERSION, type ModelCard, ModelCardSchema } from './model-card-schema';

export { MODEL_CARD_VERSION, type ModelCard, ModelCardSchema } from './model-card-schema';

/** The key of the model card in the saved model's `userDefinedMetadata`. */
const CARD_KEY = 'myosegModelCard';

/**
 * Checks that `value` is a valid {@link ModelCard} (see {@link ModelCardSchema}) and returns it typed.
 *
 * @throws {@link ModelCardError} naming the first missing or invalid field (or a card from a newer version).
 */
export function parseModelCard(value: unknown): ModelCard {
  if (value === undefined) throw new ModelCardError('model card: the saved model has no myoseg model card');
  return parseFields(ModelCardSchema, value, (problem) => {
    throw new ModelCardError(`model card: ${problemMessage(problem)}`);
  });
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
