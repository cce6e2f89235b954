import type { AxisCodes } from '@myoseg/core';
import type { AcdcPatient } from './types';

/** The orientation most of a cohort is stored in, and who differs (see {@link cohortOrientation}). */
export interface CohortOrientation {
  /** The most common axis codes (ties: the first patient's); null when no patient has an orientation. */
  orientation: AxisCodes | null;
  /** Ids of the patients stored otherwise (or without an orientation). */
  others: string[];
}

/**
 * The orientation a cohort's volumes are stored in: what a model trained on it records, so that inputs stored
 * otherwise are turned to it before inference.
 *
 * @param patients - e.g. `loadAcdc(...).patients`; an empty list gives `{ orientation: null, others: [] }`.
 */
export function cohortOrientation(
  patients: readonly Pick<AcdcPatient, 'id' | 'orientation'>[],
): CohortOrientation {
  const counts = new Map<AxisCodes, number>();
  for (const p of patients)
    if (p.orientation) counts.set(p.orientation, (counts.get(p.orientation) ?? 0) + 1);
  let orientation: AxisCodes | null = null;
  for (const [codes, n] of counts)
    if (orientation === null || n > (counts.get(orientation) ?? 0)) orientation = codes;
  const differs = (p: { orientation: AxisCodes | null }) =>
    p.orientation === null || p.orientation !== orientation;
  return { orientation, others: patients.filter(differs).map((p) => p.id) };
}
