import * as v from 'valibot';
import { imageSize, integer, plainObject } from '../schema/fields';
import { NormalizationSchema } from './normalization-schema';

/** The model card format this version writes and reads. */
export const MODEL_CARD_VERSION = 1;

const ENCODER = 'be a non-empty string';
const VERSION = `be ${MODEL_CARD_VERSION}`;
const TRAINING = 'be an object of numbers, strings, booleans or null';

/**
 * Checks a {@link ModelCard}, the `myosegModelCard` of a saved model's `userDefinedMetadata`: every field present
 * and of its kind, one label per class, the version this myoseg reads. Fields it does not know are dropped.
 */
export const ModelCardSchema = v.pipe(
  plainObject(
    v.object({
      /** Encoder name, e.g. `'resnet34'`. */
      encoder: v.pipe(v.string(ENCODER), v.nonEmpty(ENCODER)),
      /** Input size `[h, w]` in pixels. */
      inputSize: imageSize('be [h, w] of integers ≥ 1'),
      /** Number of output classes. */
      numClasses: integer(1),
      /** One name per class, class 0 first (e.g. `['background', 'myocardium']`). */
      labels: v.array(v.string()),
      /** The input normalization (see `makeBatches`). */
      normalization: NormalizationSchema,
      /** Training facts and metrics (epochs, rates, final loss, validation Dice…): JSON values. */
      training: plainObject(
        v.record(
          v.string(),
          v.union([v.number(), v.nan(), v.string(), v.boolean(), v.null()], TRAINING),
          TRAINING,
        ),
        TRAINING,
      ),
      /** Card format version ({@link MODEL_CARD_VERSION}). */
      version: v.pipe(v.number(VERSION), v.value(MODEL_CARD_VERSION, VERSION)),
    }),
  ),
  v.forward(
    v.partialCheck(
      [['numClasses'], ['labels']],
      (card) => card.labels.length === card.numClasses,
      (issue) => `be ${(issue.input as { numClasses: number }).numClasses} strings (one per class)`,
    ),
    ['labels'],
  ),
);

/** What a saved model is: its architecture, input, classes, the normalization its inputs need, how it trained. */
export type ModelCard = v.InferOutput<typeof ModelCardSchema>;
