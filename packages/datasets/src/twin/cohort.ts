import { ACDC_GROUPS, type AcdcGroup } from '../acdc/types';
import { InvalidOptionError } from '../errors';

/** Where one synthetic patient goes in the ACDC layout. */
export interface TwinSlot {
  /** 0-based position in the cohort. */
  index: number;
  /** Folder name, `patient001`… */
  id: string;
  /** `training` or `testing`. */
  subset: 'training' | 'testing';
  /** Diagnostic group. */
  group: AcdcGroup;
}

/**
 * The ACDC layout of a synthetic cohort: the five groups in equal numbers (±1), two thirds of each group in
 * `training` and the rest in `testing`, numbered as ACDC (training first, by group: DCM, HCM, MINF, NOR, RV).
 * 150 patients give ACDC's 100/50 split with 20/10 per group. Folder numbers have three digits as ACDC's
 * (`patient001`) up to 999 patients and four (`patient0001`) from 1 000, so that they sort in cohort order.
 *
 * @param patients - cohort size, an integer 1–9 999.
 */
export function twinCohortLayout(patients: number): TwinSlot[] {
  if (!Number.isInteger(patients) || patients < 1 || patients > 9999) {
    throw new InvalidOptionError(`twin: patients must be an integer 1–9999, got ${patients}`);
  }
  const digits = Math.max(3, String(patients).length);
  const sizes = ACDC_GROUPS.map((_, g) => Math.floor(patients / 5) + (g < patients % 5 ? 1 : 0));
  const training = sizes.map((n) => Math.round((n * 2) / 3));
  const slots: TwinSlot[] = [];
  for (const subset of ['training', 'testing'] as const) {
    ACDC_GROUPS.forEach((group, g) => {
      const count = subset === 'training' ? training[g] : sizes[g] - training[g];
      for (let i = 0; i < count; i++) {
        const index = slots.length;
        slots.push({ index, id: `patient${String(index + 1).padStart(digits, '0')}`, subset, group });
      }
    });
  }
  return slots;
}
