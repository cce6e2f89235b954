import { MyosegError } from '@myoseg/core';
import { resolveAugmentOptions } from '../training/augment/options';

/** A preset (or a preset override, e.g. a `--preset` JSON file) has an unknown field or a value of the wrong kind. */
export class PresetError extends MyosegError {
  /** Always `'PRESET'`. */
  override readonly code: string = 'PRESET';
}

type Check = (v: unknown) => boolean;

const integer =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min;
const positive: Check = (v) => typeof v === 'number' && v > 0 && Number.isFinite(v);
const boolean: Check = (v) => typeof v === 'boolean';
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const size: Check = (v) => Array.isArray(v) && v.length === 2 && v.every(integer(1));
const object: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const fraction: Check = (v) => typeof v === 'number' && v >= 0 && v < 1;

/** What each field of a stage's settings must be, for messages. */
const STAGE_FIELDS: Record<string, [Check, string]> = {
  widthMultiplier: [positive, 'a number > 0'],
  frozenEpochs: [integer(0), 'an integer ≥ 0'],
  epochs: [integer(0), 'an integer ≥ 0'],
  batchSize: [integer(1), 'an integer ≥ 1'],
  baseLr: [positive, 'a number > 0 (omit it to run lr_find)'],
};

/** What each field of a preset must be, for messages. */
const FIELDS: Record<string, [Check, string]> = {
  ...STAGE_FIELDS,
  name: [(v) => typeof v === 'string', 'a string'],
  encoder: [oneOf('resnet34', 'resnet18'), "'resnet34' or 'resnet18'"],
  localizerSize: [size, '[height, width], integers ≥ 1'],
  segmenterSize: [size, '[height, width], integers ≥ 1'],
  channels: [oneOf(1, 3), '1 or 3'],
  normalization: [oneOf('imagenet', 'per-image'), "'imagenet' or 'per-image'"],
  lrFindIterations: [integer(1), 'an integer ≥ 1'],
  augment: [object, 'an object ({ flip, rotateDeg, brightness, contrast, nnunet, domainRandomization })'],
  frame: [(v) => typeof v === 'number' && v >= 0 && Number.isFinite(v), 'a number ≥ 0'],
  cropJitter: [fraction, 'a number in [0, 1)'],
  jitterCopies: [integer(0), 'an integer ≥ 0'],
  zoomCopies: [integer(0), 'an integer ≥ 0'],
  balanceBaselines: [boolean, 'true or false'],
  largestComponent: [boolean, 'true or false'],
  refinePasses: [integer(0), 'an integer ≥ 0'],
  segmenter: [object, `an object with some of ${Object.keys(STAGE_FIELDS).join(', ')}`],
  base: [oneOf('paper', 'quick', 'standard'), "'paper', 'quick' or 'standard'"],
};

function checkFields(
  value: Record<string, unknown>,
  fields: Record<string, [Check, string]>,
  where: string,
  prefix = '',
): void {
  for (const [key, v] of Object.entries(value)) {
    const rule = fields[key];
    if (rule === undefined) {
      throw new PresetError(
        `${where}: unknown field '${prefix}${key}' (known: ${Object.keys(fields).join(', ')})`,
      );
    }
    // an absent optional field (undefined, e.g. `baseLr`) is left to the base preset
    if (v !== undefined && !rule[0](v)) {
      throw new PresetError(`${where}: field '${prefix}${key}' must be ${rule[1]}, got ${JSON.stringify(v)}`);
    }
  }
}

/**
 * Checks a preset override field by field: every field known, every value of the right kind, the fields of
 * `augment` and of its `nnunet` and `domainRandomization` settings included.
 *
 * @param where - what the override came from, for messages (`'preset'`, a file name).
 * @throws {@link PresetError} naming the field, what it must be and what it was.
 */
export function checkPresetOverride(override: unknown, where = 'preset'): void {
  if (!object(override))
    throw new PresetError(`${where}: must be an object, got ${JSON.stringify(override)}`);
  const fields = override as Record<string, unknown>;
  checkFields(fields, FIELDS, where);
  if (fields.segmenter !== undefined)
    checkFields(fields.segmenter as Record<string, unknown>, STAGE_FIELDS, where, 'segmenter.');
  if (fields.augment !== undefined) {
    resolveAugmentOptions(fields.augment, (field, expected, got) => {
      throw new PresetError(
        `${where}: field 'augment.${field}' must be ${expected}, got ${JSON.stringify(got)}`,
      );
    });
  }
}
