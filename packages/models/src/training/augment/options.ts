import type { AugmentOptions } from '../data';
import type { SampleAugmentations } from './augment-sample';
import { DOMAIN_RANDOMIZATION, type DomainRandomizationOptions } from './domain-randomization';
import { NNUNET_SPATIAL, type NnunetSpatialOptions } from './spatial';

/**
 * nnU-Net v2's augmentation chain, with the spatial settings changed where given (the defaults are
 * {@link NNUNET_SPATIAL}); the intensity part is always nnU-Net's (`nnunetIntensity`).
 */
export type NnunetAugmentOptions = Partial<NnunetSpatialOptions>;

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

/** Reports a bad option: `field` (e.g. `nnunet.scaling`), what it must be, and the value given; must throw. */
export type OptionFailure = (field: string, expected: string, got: unknown) => never;

type Rule = [(v: unknown) => boolean, string];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const probability: Rule = [(v) => typeof v === 'number' && v >= 0 && v <= 1, 'a probability in [0, 1]'];
const rotation: Rule = [(v) => typeof v === 'number' && v >= 0 && v <= 180, 'in [0, 180] degrees'];
const lighting: Rule = [(v) => typeof v === 'number' && v >= 0 && v < 1, 'in [0, 1)'];

const NNUNET_RULES: Record<keyof NnunetSpatialOptions, Rule> = {
  rotateDeg: rotation,
  rotationProbability: probability,
  scaling: [
    (v) =>
      Array.isArray(v) &&
      v.length === 2 &&
      v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0) &&
      v[0] <= v[1],
    '[min, max] with 0 < min ≤ max',
  ],
  scalingProbability: probability,
};

const DOMAIN_RULES: Record<keyof DomainRandomizationOptions, Rule> = {
  probability,
  backgroundClasses: [
    (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 16,
    'an integer in [1, 16]',
  ],
};

const group = (keys: readonly string[]): Rule => [
  (v) => typeof v === 'boolean' || isObject(v),
  `true, false or an object with some of ${keys.join(', ')}`,
];

const RULES: Record<keyof AugmentOptions, Rule> = {
  flip: [(v) => typeof v === 'boolean', 'true or false'],
  rotateDeg: rotation,
  brightness: lighting,
  contrast: lighting,
  nnunet: group(Object.keys(NNUNET_RULES)),
  domainRandomization: group(Object.keys(DOMAIN_RULES)),
};

/** Every field of `value` known to `rules` and valid; an absent (undefined) field is left to the defaults. */
function checkFields(
  value: Record<string, unknown>,
  rules: Record<string, Rule>,
  fail: OptionFailure,
  prefix = '',
) {
  for (const [key, v] of Object.entries(value)) {
    const rule = rules[key];
    if (rule === undefined) fail(`${prefix}${key}`, `a known field (${Object.keys(rules).join(', ')})`, v);
    if (v !== undefined && !rule[0](v)) fail(`${prefix}${key}`, rule[1], v);
  }
}

/** `true` gives `defaults`, an object replaces some of them, `false` or absent turns the step off. */
function resolveGroup<T extends object>(
  name: string,
  value: unknown,
  defaults: Readonly<T>,
  rules: Record<keyof T, Rule>,
  fail: OptionFailure,
): T | null {
  if (value === undefined || value === false) return null;
  if (value === true) return { ...defaults };
  checkFields(value as Record<string, unknown>, rules, fail, `${name}.`);
  const given = Object.entries(value as object).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(given) };
}

/**
 * Checks an augmentation setting field by field (nested fields too) and resolves it: fastai's fields default to
 * off, `nnunet` and `domainRandomization` to off, `true` to their defaults ({@link NNUNET_SPATIAL},
 * {@link DOMAIN_RANDOMIZATION}).
 *
 * @param augment - an {@link AugmentOptions}-shaped object (e.g. from a preset file).
 * @param fail - called for the first unknown or bad field, named with its path (`nnunet.scaling`); it must throw
 *   (each caller throws its own error class).
 */
export function resolveAugmentOptions(augment: unknown, fail: OptionFailure): ResolvedAugment {
  if (!isObject(augment)) fail('', `an object with some of ${Object.keys(RULES).join(', ')}`, augment);
  checkFields(augment, RULES, fail);
  const a = augment as AugmentOptions;
  return {
    flip: a.flip ?? false,
    rotateDeg: a.rotateDeg ?? 0,
    brightness: a.brightness ?? 0,
    contrast: a.contrast ?? 0,
    samples: {
      nnunet: resolveGroup('nnunet', a.nnunet, NNUNET_SPATIAL, NNUNET_RULES, fail),
      domainRandomization: resolveGroup(
        'domainRandomization',
        a.domainRandomization,
        DOMAIN_RANDOMIZATION,
        DOMAIN_RULES,
        fail,
      ),
    },
  };
}
