// The cohorts @myoseg/pretrained is judged on (scripts/evaluate-pretrained.mjs, bench/gpu/precision.mjs).

/**
 * The cohorts, none of them seen in training (which drew 'varied' patients with seed 2026: RECIPE in train-pretrained.mjs). `unseen look` is a
 * fixed setting outside the training recipe: myocardium brighter than blood (a T1-weighted-like contrast), stronger
 * noise, bias and blur, larger hearts turned further.
 */
export const COHORTS = [
  { name: 'twin, standard look', patients: 20, seed: 7001, params: { appearance: 'standard' } },
  { name: 'twin, varied look (unseen seed)', patients: 20, seed: 7002, params: { appearance: 'varied' } },
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
