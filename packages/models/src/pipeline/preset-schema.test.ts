import { describe, expect, it } from 'vitest';
import { expectEveryFieldNamed, problemOf } from '../schema/test-support';
import { PipelinePresetSchema, PresetOverrideSchema } from './preset-schema';
import { PAPER_PRESET, QUICK_PRESET, STANDARD_PRESET } from './presets';

describe('PipelinePresetSchema / PresetOverrideSchema', () => {
  it('take the named presets as they are and name each field they refuse', () => {
    for (const preset of [PAPER_PRESET, QUICK_PRESET, STANDARD_PRESET]) {
      expectEveryFieldNamed(PipelinePresetSchema, preset);
      expectEveryFieldNamed(PresetOverrideSchema, { base: 'paper', ...preset });
    }
  });

  it('a preset must have every field, an override none; neither takes an unknown one', () => {
    const { epochs: _, ...noEpochs } = QUICK_PRESET;
    expect(problemOf(PipelinePresetSchema, noEpochs)).toMatchObject({ field: 'epochs', value: undefined });
    expect(problemOf(PresetOverrideSchema, { epochs: 2 })).toBeUndefined();
    expect(problemOf(PresetOverrideSchema, { augment: { nnunet: { zoom: 2 } } })?.field).toBe(
      'augment.nnunet.zoom',
    );
    expect(problemOf(PipelinePresetSchema, { ...QUICK_PRESET, base: 'quick' })?.known).toContain('segmenter');
  });
});
