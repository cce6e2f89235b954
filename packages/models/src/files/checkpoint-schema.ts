import * as v from 'valibot';
import { PipelinePresetSchema } from '../pipeline/preset-schema';
import { integer } from '../schema/fields';
import type { EpochEndLogs } from '../training/callbacks';
import type { FineTunePhase, FineTuneResult } from '../training/fine-tune';
import { PatientSplitIdsSchema } from './pipeline-folder-schema';

/** A logged number; JSON writes NaN and ±∞ (a diverged loss) as null, read back as NaN. */
const logged = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? Number.NaN),
);

const EpochLogsSchema: v.GenericSchema<unknown, EpochEndLogs> = v.object({
  epoch: integer(0),
  loss: logged,
  valLoss: v.optional(logged),
  valDice: v.optional(logged),
  lr: logged,
  partial: v.optional(v.boolean()),
});

const FineTunePhaseSchema: v.GenericSchema<unknown, FineTunePhase> = v.object({
  lrFind: v.optional(
    v.object({
      lrs: v.array(logged),
      losses: v.array(logged),
      suggestion: logged,
      suggestionIndex: v.number(),
    }),
  ),
  lrMax: v.array(v.number()),
  fit: v.object({ history: v.array(EpochLogsSchema), stoppedEarly: v.boolean() }),
});

const FineTuneResultSchema: v.GenericSchema<unknown, FineTuneResult> = v.object({
  frozen: FineTunePhaseSchema,
  unfrozen: FineTunePhaseSchema,
});

/** Where a tensor lies in a `.bin` file of the checkpoint: its values, row-major, after those of the ones before. */
const WeightSpecSchema = v.object({
  /** `w0`, `w1`… for weights, `m…` and `v…` for the optimizer's moments. */
  name: v.string(),
  /** Its shape. */
  shape: v.array(integer(0)),
  /** Its data type (always float32 in a checkpoint). */
  dtype: v.picklist(['float32', 'int32', 'bool', 'complex64', 'string']),
});

/**
 * Checks a checkpoint folder's `checkpoint.json` ({@link CheckpointJson}): the JSON part of a
 * `PipelineCheckpoint` (run, stage, phase, epoch, logs); the tensors live in `current.bin` and `localizer.bin`.
 * Fields it does not know are dropped; its `preset` takes no unknown field.
 */
export const CheckpointJsonSchema = v.object({
  /** Always `'myoseg-checkpoint'`. */
  format: v.literal('myoseg-checkpoint'),
  /** `CHECKPOINT_VERSION`. */
  version: v.number(),
  /** ISO time of saving. */
  savedAt: v.string(),
  /** The run's seed. */
  seed: v.number(),
  /** The run's resolved preset. */
  preset: PipelinePresetSchema,
  /** The run's patient split. */
  split: PatientSplitIdsSchema,
  /** The network being trained. */
  stage: v.picklist(['localizer', 'segmenter']),
  /** The finished localizer, once the segmenter's training has begun: its logs and its tensors in `localizer.bin`. */
  localizer: v.optional(
    v.object({
      /** Its training logs. */
      history: FineTuneResultSchema,
      /** Its weights in `localizer.bin`, in `stableWeightOrder`. */
      specs: v.array(WeightSpecSchema),
    }),
  ),
  /** The current network's fine-tune state: its tensors (weights `w…`, moments `m…` and `v…`) in `current.bin`. */
  current: v.object({
    /** The phase of the last completed epoch. */
    phase: v.picklist(['frozen', 'unfrozen']),
    /** Epochs of that phase completed. */
    epoch: integer(0),
    /** The frozen phase's logs so far. */
    frozen: FineTunePhaseSchema,
    /** The unfrozen phase's logs, once it has started. */
    unfrozen: v.optional(FineTunePhaseSchema),
    /** The optimizer step of each variable with moments, by its index in `stableWeightOrder`. */
    steps: v.array(
      v.object({
        /** The variable's index in `stableWeightOrder`. */
        index: integer(0),
        /** Its optimizer steps so far. */
        step: integer(0),
      }),
    ),
    /** The tensors of `current.bin`. */
    specs: v.array(WeightSpecSchema),
  }),
});

/** `checkpoint.json`: the JSON part of a training checkpoint (checked by {@link CheckpointJsonSchema}). */
export type CheckpointJson = v.InferOutput<typeof CheckpointJsonSchema>;
