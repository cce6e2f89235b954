import * as v from 'valibot';
import { PipelinePresetSchema } from '../pipeline/preset-schema';
import { imageSize, integer, numberAtLeast } from '../schema/fields';

const FINITE = 'be a finite number';
const finite = v.pipe(v.number(FINITE), v.finite(FINITE));
const RANGE = 'be an ordered pair [lo, hi]';
const THRESHOLD = 'lie in (0, 1)';
const DIGESTS = 'map file paths to sha256 hex digests';
const SHA256 = /^[0-9a-f]{64}$/;
const ORIENTATION = 'be three axis codes naming each of R/L, A/P, S/I once, e.g. RAS';

/** The manifest's file name inside a segmenter folder. */
export const PIPELINE_MANIFEST = 'myoseg.json';

/** Checks the JSON form of a σ regression (`SigmaRegressionJSON` of `@myoseg/core`). */
export const SigmaRegressionJsonSchema = v.object({
  /** Change of σ per pixel of crop width. */
  slope: finite,
  /** σ at width 0, in pixels. */
  intercept: finite,
  /** Predictions are clamped to `[min, max]`, in pixels. */
  range: v.pipe(
    v.tuple([v.pipe(v.number(RANGE), v.finite(RANGE)), v.pipe(v.number(RANGE), v.finite(RANGE))], RANGE),
    v.check(([lo, hi]) => lo <= hi, RANGE),
  ),
});

/** Checks one point a σ regression is fitted on (`SigmaSample` of `@myoseg/core`). */
export const SigmaSampleSchema = v.object({
  /** Width of the crop in the original image, in pixels (≥ 0). */
  width: numberAtLeast(0),
  /** The best σ found for it, in pixels. */
  sigma: finite,
});

/** Checks a {@link RegressedSigma}. */
export const RegressedSigmaSchema = v.object({
  /** The regression's JSON form. */
  regression: SigmaRegressionJsonSchema,
});

/** σ from a linear regression on the crop width. */
export type RegressedSigma = v.InferOutput<typeof RegressedSigmaSchema>;

/** Checks a {@link FixedSigmaRule}. */
export const FixedSigmaRuleSchema = v.object({
  /** σ in pixels. */
  fixed: numberAtLeast(0),
});

/** One σ for every crop. */
export type FixedSigmaRule = v.InferOutput<typeof FixedSigmaRuleSchema>;

/** Checks a {@link SigmaRule}. */
export const SigmaRuleSchema = v.union(
  [RegressedSigmaSchema, FixedSigmaRuleSchema],
  "hold 'fixed' or 'regression'",
);

/** How a saved segmenter picks σ: a fitted regression on the crop width, or a fixed σ in pixels. */
export type SigmaRule = v.InferOutput<typeof SigmaRuleSchema>;

/** Checks a {@link NetworkShape}. */
export const NetworkShapeSchema = v.object({
  /** `[h, w]` of its input, pixels. */
  inputSize: imageSize('be [h, w], integers ≥ 1'),
  /** Input channels. */
  channels: v.picklist([1, 3]),
  /** Softmax classes of its output (≥ 2). */
  classes: integer(2),
});

/** What a folder's network takes and gives, recorded so that a swapped or foreign network file is refused. */
export type NetworkShape = v.InferOutput<typeof NetworkShapeSchema>;

/** Checks a {@link PatientSplitIds}. */
export const PatientSplitIdsSchema = v.object({
  /** Patients both networks trained on. */
  train: v.array(v.string()),
  /** Patients the σ regression was fitted on. */
  sigma: v.array(v.string()),
  /** Held-out patients (validation during training; the test set of `evaluateApproaches`). */
  validation: v.array(v.string()),
});

/** Patient ids on each side of the 60/20/20 split. */
export type PatientSplitIds = v.InferOutput<typeof PatientSplitIdsSchema>;

/**
 * Checks a segmenter folder's `myoseg.json` ({@link PipelineManifest}). Fields it does not know are dropped (a
 * newer myoseg may add some); its `preset` takes no unknown field.
 */
export const PipelineManifestSchema = v.object({
  /** Always `'myoseg-segmenter'`. */
  format: v.literal('myoseg-segmenter'),
  /** `PIPELINE_FOLDER_VERSION`. */
  version: v.number(),
  /** The training preset (sizes, encoder, normalization…). */
  preset: PipelinePresetSchema,
  /** The crop frame (≥ 0). */
  frame: numberAtLeast(0),
  /** The probability threshold, in (0, 1). */
  threshold: v.pipe(v.number(THRESHOLD), v.gtValue(0, THRESHOLD), v.ltValue(1, THRESHOLD)),
  /** Whether the segmenter's mask keeps only its largest connected component (absent: false). */
  largestComponent: v.optional(v.boolean()),
  /** Segmenter passes after the first (absent: 0). */
  refinePasses: v.optional(integer(0)),
  /**
   * The orientation the networks were trained in: axis codes of the training volumes' affines, e.g. `'RAS'`.
   * Absent (older folders): inputs are segmented in their stored voxel order.
   */
  orientation: v.optional(
    v.pipe(
      v.string(ORIENTATION),
      v.regex(/^[RLAPSI]{3}$/, ORIENTATION),
      v.check((c) => new Set([...c].map((l) => 'RLAPSI'.indexOf(l) >> 1)).size === 3, ORIENTATION),
    ),
  ),
  /** The σ rule: a regression, or a fixed σ. */
  sigma: SigmaRuleSchema,
  /** The points the σ regression was fitted on. */
  sigmaSamples: v.array(SigmaSampleSchema),
  /** Patient ids of the training split. */
  split: PatientSplitIdsSchema,
  /** ISO time of saving. */
  createdAt: v.string(),
  /**
   * False when training stopped early (Ctrl-C): the networks are as they were then, and `myoseg segment` refuses
   * the folder unless `--allow-incomplete`. Absent (older folders): complete.
   */
  complete: v.optional(v.boolean()),
  /** What each network takes and gives; checked at load (absent in folders of older versions). */
  networks: v.optional(
    v.object({
      /** The localizer's. */
      localizer: NetworkShapeSchema,
      /** The segmenter's. */
      segmenter: NetworkShapeSchema,
    }),
  ),
  /**
   * SHA-256 (hex) of every other file of the folder by its relative path; every file read at load is checked
   * against it (absent in folders of older versions, which load unchecked).
   */
  files: v.optional(
    v.pipe(
      v.record(v.string(), v.string(DIGESTS), DIGESTS),
      v.check((files) => Object.values(files).every((digest) => SHA256.test(digest)), DIGESTS),
    ),
  ),
  /**
   * The same two networks as ONNX files (for onnxruntime-node, onnxruntime-web or any ONNX runtime: NHWC input,
   * softmax output), when the folder holds them.
   */
  onnx: v.optional(
    v.object({
      /** Path of the localizer's `.onnx` inside the folder. */
      localizer: v.string(),
      /** Path of the segmenter's `.onnx` inside the folder. */
      segmenter: v.string(),
      /** The ONNX opset they use. */
      opset: integer(1),
      /**
       * `'from-onnx'`: the tfjs models' `model.json` name no weight file, and their weights are read from these
       * ONNX files (`weightsFromOnnx`), so each network's weights are stored once; absent or `'separate'`: each
       * tfjs model has its own `weights.bin`.
       */
      tfjsWeights: v.optional(v.picklist(['separate', 'from-onnx'], "be 'separate' or 'from-onnx'")),
    }),
  ),
});

/** `myoseg.json`: what a segmenter folder holds besides the two models (checked by {@link PipelineManifestSchema}). */
export type PipelineManifest = v.InferOutput<typeof PipelineManifestSchema>;
