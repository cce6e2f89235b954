import type { VolumeSummary } from '@myoseg/models';
import { describe, expect, it } from 'vitest';
import type { CohortEvaluation } from './evaluation-schema';
import { readEvaluation } from './read-evaluation';
import { refusedField } from './test-support';

const volumes = (frames: number): VolumeSummary => ({
  frames,
  dice: frames ? 0.81 : Number.NaN,
  hd95Mm: frames ? 4.2 : Number.NaN,
  hdMm: Number.NaN,
  infiniteHd: frames,
  volumeErrorMl: frames ? -3.5 : Number.NaN,
  absVolumeErrorMl: frames ? 3.5 : Number.NaN,
  massErrorG: frames ? -3.7 : Number.NaN,
  absMassErrorG: frames ? 3.7 : Number.NaN,
});

/** What `myoseg evaluate` holds in memory before writing evaluation.json: +∞ distances, NaN means. */
function sampleEvaluation(): CohortEvaluation {
  const frame = { patientId: 'patient001', group: 'DCM', phase: 'ED' as const, dice: 0.8 };
  return {
    summary: {
      patients: 1,
      slices: 2,
      meanSliceDice: 0.75,
      meanFrameDice: 0.8,
      meanHd95Mm: 3.1,
      meanAbsVolumeErrorMl: 3.5,
      meanAbsMassErrorG: 3.7,
      failed: [{ patient: 'patient002', error: 'patient002/Info.cfg: no such file' }],
      nonFinite: [{ patient: 'patient001', voxels: 3 }],
      localization: 'volume',
      sliceView: 'all',
      frames: 1,
      meanFrameHd95Mm: Number.NaN,
      meanFrameHdMm: Number.NaN,
      infiniteFrameHd: 1,
      meanVolumeErrorMl: -3.5,
      meanMassErrorG: -3.7,
      byGroup: { DCM: volumes(1), NOR: volumes(0) },
      byPhase: { ED: volumes(1) },
    },
    frames: [
      {
        ...frame,
        hd95Mm: Number.POSITIVE_INFINITY,
        hdMm: Number.POSITIVE_INFINITY,
        volumeMl: 100,
        trueVolumeMl: 103.5,
        massG: 105,
        trueMassG: 108.7,
      },
    ],
    slices: [
      { ...frame, slice: 3, hd95Mm: 3.1 },
      { ...frame, slice: 4, dice: 0, hd95Mm: Number.POSITIVE_INFINITY },
    ],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the tests write malformed values into parsed JSON on purpose
type LooseJson = Record<string, any>;

function fieldOf(edit: (json: LooseJson) => void): string {
  const json = JSON.parse(JSON.stringify(sampleEvaluation()));
  edit(json);
  return refusedField(() => readEvaluation(json), 'evaluation.json');
}

describe('readEvaluation', () => {
  it('reads what evaluate writes, with the +∞ distances and NaN means that JSON wrote as null', () => {
    const evaluation = sampleEvaluation();
    const json = JSON.parse(JSON.stringify(evaluation));
    expect(json.frames[0].hd95Mm).toBeNull();
    const read = readEvaluation(json);
    expect(read).toEqual(evaluation);
    expect(read.frames[0].hdMm).toBe(Number.POSITIVE_INFINITY);
    expect(read.summary.byGroup.NOR.dice).toBeNaN();
    expect(JSON.stringify(read)).toBe(JSON.stringify(json));
  });

  it('names the offending field', () => {
    const cases: [(j: LooseJson) => void, string][] = [
      [(j) => delete j.summary, 'summary'],
      [(j) => (j.summary.patients = 1.5), 'summary.patients'],
      [(j) => (j.summary.meanSliceDice = 1.2), 'summary.meanSliceDice'],
      [(j) => (j.summary.failed[0].error = 3), 'summary.failed[0].error'],
      [(j) => (j.summary.localization = 'slices'), 'summary.localization'],
      [(j) => (j.summary.sliceView = true), 'summary.sliceView'],
      [(j) => (j.summary.meanFrameHdMm = -1), 'summary.meanFrameHdMm'],
      [(j) => (j.summary.byGroup.DCM.frames = -1), 'summary.byGroup.DCM.frames'],
      [(j) => (j.summary.byPhase = []), 'summary.byPhase'],
      [(j) => (j.frames[0].phase = 'MID'), 'frames[0].phase'],
      [(j) => (j.frames[0].hd95Mm = -2), 'frames[0].hd95Mm'],
      [(j) => delete j.frames[0].trueMassG, 'frames[0].trueMassG'],
      [(j) => (j.slices[1].slice = '4'), 'slices[1].slice'],
      [(j) => (j.slices[0].dice = null), 'slices[0].dice'],
    ];
    for (const [edit, field] of cases) expect(fieldOf(edit)).toBe(field);
    expect(() => readEvaluation([], 'out/evaluation.json')).toThrow(
      'out/evaluation.json: (root): expected an object, got an array of 0',
    );
  });
});
