import { splitByPatient } from '@myoseg/core';
import { describe, expect, it } from 'vitest';
import { memoryFolder, openAcdcPatient } from '../acdc/open-patient';
import { toSlices } from '../acdc/slices';
import type { AcdcGroup, SliceSample } from '../acdc/types';
import { InvalidOptionError } from '../errors';
import { filterSlices } from '../filters/slice-filter';
import { encodePatientFiles } from './files';
import { easyTwinParams, resolveTwinParams, type TwinParamsInput } from './params';
import { contractionAt, renderTwinFrame, type SyntheticPatient, synthesizePatient } from './patient';

/** Small images keep the suite fast; the heart's size in mm is unchanged. */
const SMALL: TwinParamsInput = { imageSizes: [[128, 128]], fieldOfViewMm: [230, 230] };

function volumeMl(p: SyntheticPatient, phase: 'ED' | 'ES', label: number): number {
  const [dz, dy, dx] = p.spacing;
  return (p.frames[phase].label.data.filter((v) => v === label).length * dz * dy * dx) / 1000;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('synthesizePatient', () => {
  it('is deterministic in the seed, and patients do not depend on each other', () => {
    const a = synthesizePatient(3, { patients: 10, seed: 7, params: SMALL });
    const b = synthesizePatient(3, { patients: 10, seed: 7, params: SMALL });
    const c = synthesizePatient(3, { patients: 10, seed: 8, params: SMALL });
    expect(b.frames.ES.image.data).toEqual(a.frames.ES.image.data);
    expect(encodePatientFiles(b)).toEqual(encodePatientFiles(a));
    expect(c.frames.ES.image.data).not.toEqual(a.frames.ES.image.data);
    expect(a.id).toBe('patient004');
  });

  it('gives ACDC-like geometry: 6–12 slices 5–10 mm apart, 0.7–1.9 mm pixels, ED frame 1', () => {
    for (let i = 0; i < 10; i++) {
      const p = synthesizePatient(i, { patients: 150, seed: 2, params: { ...easyTwinParams, ...SMALL } });
      const [d] = p.frames.ED.image.shape;
      expect(d).toBeGreaterThanOrEqual(6);
      expect(d).toBeLessThanOrEqual(12);
      expect(p.spacing[0]).toBeGreaterThanOrEqual(5);
      expect(p.spacing[0]).toBeLessThanOrEqual(10);
      expect(p.spacing[1]).toBeGreaterThanOrEqual(0.7);
      expect(p.spacing[1]).toBeLessThanOrEqual(1.9);
      expect(p.info.ed).toBe(1);
      expect(p.info.es).toBeGreaterThan(1);
      expect(p.frames.ES.frame).toBe(p.info.es);
    }
  });

  it('draws default image sizes between 150 and 512 pixels a side', () => {
    const sizes = resolveTwinParams().imageSizes.flat();
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...sizes)).toBe(512);
  });

  it('gives the group differences ACDC describes (label statistics, 6 patients per group)', () => {
    const stats = new Map<AcdcGroup, { edv: number[]; ef: number[]; myo: number[]; rv: number[] }>();
    for (let i = 0; i < 30; i++) {
      const p = synthesizePatient(i, { patients: 30, seed: 11, params: { ...easyTwinParams, ...SMALL } });
      const s = stats.get(p.group) ?? { edv: [], ef: [], myo: [], rv: [] };
      const [edv, esv] = [volumeMl(p, 'ED', 3), volumeMl(p, 'ES', 3)];
      s.edv.push(edv);
      s.ef.push((edv - esv) / edv);
      s.myo.push(volumeMl(p, 'ED', 2) / edv);
      s.rv.push(volumeMl(p, 'ED', 1));
      stats.set(p.group, s);
    }
    const m = (g: AcdcGroup, k: 'edv' | 'ef' | 'myo' | 'rv') => mean(stats.get(g)![k]);
    expect(m('DCM', 'edv')).toBeGreaterThan(1.5 * m('NOR', 'edv'));
    expect(m('DCM', 'ef')).toBeLessThan(0.35);
    expect(m('NOR', 'ef')).toBeGreaterThan(0.5);
    expect(m('MINF', 'ef')).toBeLessThan(m('NOR', 'ef') - 0.15);
    expect(m('HCM', 'ef')).toBeGreaterThan(m('NOR', 'ef'));
    expect(m('HCM', 'myo')).toBeGreaterThan(1.8 * m('NOR', 'myo'));
    expect(m('HCM', 'edv')).toBeLessThan(m('NOR', 'edv'));
    expect(m('RV', 'rv')).toBeGreaterThan(1.5 * m('NOR', 'rv'));
  });

  it('renders bright blood, darker myocardium and noise that the params control', () => {
    const regionStats = (p: SyntheticPatient, label: number) => {
      const { image, label: labels } = p.frames.ED;
      const values = Array.from(image.data).filter((_, i) => labels.data[i] === label);
      const mu = mean(values);
      return { mean: mu, sd: Math.sqrt(mean(values.map((v) => (v - mu) ** 2))) };
    };
    const easy = synthesizePatient(1, { patients: 5, seed: 4, params: { ...easyTwinParams, ...SMALL } });
    const hard = synthesizePatient(1, {
      patients: 5,
      seed: 4,
      params: { ...SMALL, noise: [0.12, 0.12], badExposureRate: 0 },
    });
    expect(regionStats(easy, 3).mean).toBeGreaterThan(2.5 * regionStats(easy, 2).mean);
    expect(regionStats(easy, 2).sd).toBeLessThan(1);
    expect(regionStats(hard, 2).sd).toBeGreaterThan(30);
  });

  it('renders cine frames whose ED and ES match the patient frames', () => {
    const p = synthesizePatient(0, { patients: 5, seed: 4, params: { ...SMALL, frameCount: [10, 10] } });
    expect(renderTwinFrame(p.anatomy, p.info.es).image.data).toEqual(p.frames.ES.image.data);
    expect(contractionAt(p.info, p.info.ed)).toBe(0);
    expect(contractionAt(p.info, p.info.es)).toBe(1);
    expect(contractionAt(p.info, p.info.es + 1)).toBeGreaterThan(0.5);
    expect(() => renderTwinFrame(p.anatomy, 11)).toThrow(InvalidOptionError);
  });

  it('makes too dark or too bright slices at the asked rate', () => {
    const exposures = (rate: number) =>
      synthesizePatient(0, { patients: 1, seed: 1, params: { ...SMALL, badExposureRate: rate } }).anatomy
        .exposure;
    expect(exposures(0).every((e) => e === 1)).toBe(true);
    expect(exposures(1).every((e) => e < 0.5 || e > 2)).toBe(true);
  });

  it('checks its options and params', () => {
    expect(() => synthesizePatient(5, { patients: 5, seed: 1 })).toThrow(/index/);
    expect(() => synthesizePatient(0, { patients: 5, seed: 1.5 })).toThrow(/seed/);
    expect(() => synthesizePatient(0, { patients: 5, seed: 1, params: { sliceCount: [8, 4] } })).toThrow(
      /sliceCount/,
    );
    expect(() => resolveTwinParams({ intensities: { blood: -1 } })).toThrow(/intensities.blood/);
    expect(() => resolveTwinParams({ anatomy: { XYZ: {} } as TwinParamsInput['anatomy'] })).toThrow(/XYZ/);
    expect(resolveTwinParams({ anatomy: { RV: { rvDepthMm: [40, 1] } } }).anatomy.RV.rvWrap).toEqual(
      resolveTwinParams().anatomy.RV.rvWrap,
    );
  });
});

describe('the twin through the loader and the paper filters', () => {
  it('reads back and meets the filters: basal open rings, apical slices without cavity, some but not most removed', async () => {
    const samples: SliceSample[] = [];
    // Typical ACDC pixels (1.4 mm): the 30×30 filter depends on the pixel size.
    const typical: TwinParamsInput = { imageSizes: [[160, 160]], fieldOfViewMm: [224, 224] };
    for (let i = 0; i < 10; i++) {
      const p = synthesizePatient(i, { patients: 10, seed: 21, params: typical });
      const patient = await openAcdcPatient(memoryFolder(`training/${p.id}`, encodePatientFiles(p)));
      expect(patient).toMatchObject({ group: p.group, ed: 1, es: p.info.es, shape: p.frames.ED.image.shape });
      const slices = await toSlices(patient);
      expect(slices[0].labelMap.data).toEqual(p.frames.ED.label.data.subarray(0, 160 * 160));
      samples.push(...slices);
    }
    const report = filterSlices(samples);
    // The samples split by patient with core's splitByPatient, stratified by group.
    const parts = splitByPatient(report.kept, { ratios: [0.6, 0.2, 0.2], seed: 1, stratifyBy: 'group' });
    const owners = parts.map((part) => new Set(part.map((s) => s.patientId)));
    expect(owners.reduce((n, o) => n + o.size, 0)).toBe(new Set(report.kept.map((s) => s.patientId)).size);
    const removed = report.rejected.length / report.total;
    expect(removed).toBeGreaterThan(0.1);
    expect(removed).toBeLessThan(0.5);
    const open = report.rejected.filter((r) => r.reason.includes('ring is open'));
    expect(open.length).toBeGreaterThan(3);
    expect(open.filter((r) => r.sample.slice <= 2).length / open.length).toBeGreaterThan(0.8);
    const noCavity = report.rejected.filter((r) => r.reasons.some((x) => x.filter === 'no-lv-cavity'));
    expect(noCavity.length).toBeGreaterThan(3);
    expect(
      noCavity.filter((r) => r.sample.slice >= r.sample.sliceCount - 3 || r.sample.slice <= 1).length,
    ).toBe(noCavity.length);
  });
});
