import { synthesizeAcdc } from '@myoseg/datasets/node';

/** A small twin cohort for the CLI's tests: `patients` patients (ED + ES each) of 96×112 images, 200 mm across. */
export function synthesizeSmallTwin(outDir: string, patients: number, seed: number) {
  return synthesizeAcdc({
    patients,
    seed,
    outDir,
    params: { imageSizes: [[96, 112]], fieldOfViewMm: [200, 200] },
  });
}
