import { MyosegError } from '@myoseg/core';
import { parseFields, problemMessage } from '../schema/parse-fields';
import { PresetOverrideSchema } from './preset-schema';

/** A preset (or a preset override, e.g. a `--preset` JSON file) has an unknown field or a value of the wrong kind. */
export class PresetError extends MyosegError {
  /** Always `'PRESET'`. */
  override readonly code: string = 'PRESET';
}

/**
 * Checks a preset override against {@link PresetOverrideSchema}: every field known, every value of the right kind,
 * the fields of `segmenter` and `augment` (and of its `nnunet`, `elastic` and `domainRandomization` settings)
 * included.
 *
 * @param where - what the override came from, for messages (`'preset'`, a file name).
 * @throws {@link PresetError} naming the field, what it must be and what it was.
 */
export function checkPresetOverride(override: unknown, where = 'preset'): void {
  parseFields(PresetOverrideSchema, override, (problem) => {
    throw new PresetError(`${where}: ${problemMessage(problem)}`);
  });
}
