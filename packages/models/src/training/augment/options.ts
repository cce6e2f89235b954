import { type FieldProblem, parseFields } from '../../schema/parse-fields';
import type { SampleAugmentations } from './augment-sample';
import { AugmentOptionsSchema } from './augment-schema';
import { DOMAIN_RANDOMIZATION } from './domain-randomization';
import { ELASTIC } from './elastic';
import { RICIAN_NOISE } from './rician-noise';
import { NNUNET_SPATIAL } from './spatial';

/** {@link AugmentOptions} checked, with defaults filled in and the per-sample steps resolved. */
export interface ResolvedAugment {
  /** fastai's flip (off by default). */
  flip: boolean;
  /** fastai's largest rotation in degrees (0 for none). */
  rotateDeg: number;
  /** fastai's brightness (0 for none). */
  brightness: number;
  /** fastai's contrast (0 for none). */
  contrast: number;
  /** nnU-Net's chain and domain randomization. */
  samples: SampleAugmentations;
}

/** `true` gives `defaults`, an object replaces some of them, `false` or absent turns the step off. */
function resolveGroup<T extends object>(
  value: boolean | Partial<T> | undefined,
  defaults: Readonly<T>,
): T | null {
  if (value === undefined || value === false) return null;
  if (value === true) return { ...defaults };
  const given = Object.entries(value).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(given) };
}

/**
 * Checks an augmentation setting against {@link AugmentOptionsSchema} (nested fields too) and resolves it:
 * fastai's fields default to off, `nnunet`, `elastic`, `domainRandomization` and `noise` to off, `true` to their
 * defaults ({@link NNUNET_SPATIAL}, {@link ELASTIC}, {@link DOMAIN_RANDOMIZATION}, {@link RICIAN_NOISE}).
 *
 * @param augment - an {@link AugmentOptions}-shaped object (e.g. from a preset file).
 * @param fail - called with the first unknown or bad field, named with its path (`nnunet.scaling`); it must throw
 *   (each caller throws its own error class).
 */
export function resolveAugmentOptions(
  augment: unknown,
  fail: (problem: FieldProblem) => never,
): ResolvedAugment {
  const a = parseFields(AugmentOptionsSchema, augment, fail);
  return {
    flip: a.flip ?? false,
    rotateDeg: a.rotateDeg ?? 0,
    brightness: a.brightness ?? 0,
    contrast: a.contrast ?? 0,
    samples: {
      nnunet: resolveGroup(a.nnunet, NNUNET_SPATIAL),
      elastic: resolveGroup(a.elastic, ELASTIC),
      domainRandomization: resolveGroup(a.domainRandomization, DOMAIN_RANDOMIZATION),
      noise: resolveGroup(a.noise, RICIAN_NOISE),
    },
  };
}
