// The cohorts @myoseg/pretrained is judged on (scripts/evaluate-pretrained.mjs, bench/gpu/precision.mjs).

/**
 * The cohorts, none of them seen in training (which drew 'varied' patients with seed 2026: RECIPE in train-pretrained.mjs). `unseen look` is a
 * fixed setting outside the training recipe: myocardium brighter than blood (a T1-weighted-like contrast), stronger
 * noise, bias and blur, larger hearts turned further.
 */
export const COHORTS = [
  { name: 'twin, standard look', patients: 20, seed: 7001, params: { appearance: 'standard' } },
  // 100 patients: the look is drawn per patient (40 % bSSFP, 20 % each of gradient echo, dark blood and random), and
  // 20 patients drew 9 random looks, which made the cohort's mean a measure of that draw (0.569 on 20 patients)
  { name: 'twin, varied look (unseen seed)', patients: 100, seed: 7002, params: { appearance: 'varied' } },
  {
    name: 'unseen look',
    patients: 20,
    seed: 7003,
    params: {
      appearance: 'standard',
      intensities: {
        air: 4,
        lung: 20,
        blood: 300,
        myocardium: 420,
        fat: 900,
        muscle: 350,
        liver: 500,
        softTissue: 450,
      },
      noise: [0.06, 0.1],
      biasField: 0.5,
      blurSigmaPx: [0.8, 1.2],
      rotationDeg: 60,
      heartScale: 1.1,
    },
  },
];
