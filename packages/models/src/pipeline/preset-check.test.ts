import { describe, expect, it } from 'vitest';
import { checkPresetOverride, PresetError } from './preset-check';
import { PAPER_PRESET, QUICK_PRESET, resolvePreset, STANDARD_PRESET, segmenterPreset } from './presets';

describe('checkPresetOverride / resolvePreset', () => {
  it('accepts both named presets and overrides of them', () => {
    for (const p of [PAPER_PRESET, QUICK_PRESET]) expect(() => checkPresetOverride({ ...p })).not.toThrow();
    const p = resolvePreset({ base: 'paper', epochs: 3, segmenter: { batchSize: 4 } });
    expect([p.encoder, p.epochs, p.segmenter]).toEqual(['resnet34', 3, { batchSize: 4 }]);
  });

  it("a top-level training field sets both networks; the override's segmenter sets the segmenter's own", () => {
    expect(resolvePreset('quick').segmenter).toEqual({ epochs: 16, batchSize: 8 });
    expect(resolvePreset({ base: 'quick', epochs: 2 }).segmenter).toEqual({ batchSize: 8 });
    expect(resolvePreset({ base: 'quick', epochs: 2, batchSize: 4 }).segmenter).toBeUndefined();
    const own = resolvePreset({ base: 'quick', epochs: 2, segmenter: { epochs: 5 } });
    expect([own.epochs, own.segmenter]).toEqual([2, { epochs: 5, batchSize: 8 }]);
    expect(resolvePreset({ base: 'quick', zoomCopies: 0 }).segmenter).toEqual({ epochs: 16, batchSize: 8 });
  });

  it("'standard' trains both networks at ¼ width for 1 + 2 epochs; a top-level field sets both", () => {
    const standard = resolvePreset('standard');
    expect(standard).toEqual(STANDARD_PRESET);
    expect([standard.widthMultiplier, segmenterPreset(standard).widthMultiplier]).toEqual([0.25, 0.25]);
    expect([standard.epochs, segmenterPreset(standard).epochs]).toEqual([2, 2]);
    // 0.5.0's schedule: the localizer's third epoch back, the segmenter's kept
    const old = resolvePreset({ base: 'standard', epochs: 3, segmenter: { epochs: 2 } });
    expect([old.epochs, segmenterPreset(old).epochs]).toEqual([3, 2]);
    const both = resolvePreset({ base: 'standard', epochs: 3 });
    expect([both.epochs, segmenterPreset(both).epochs]).toEqual([3, 3]);
    const wide = resolvePreset({ base: 'standard', widthMultiplier: 0.5 });
    expect([wide.widthMultiplier, segmenterPreset(wide).widthMultiplier]).toEqual([0.5, 0.5]);
    const own = resolvePreset({ base: 'standard', segmenter: { widthMultiplier: 0.125 } });
    expect([own.widthMultiplier, segmenterPreset(own).widthMultiplier]).toEqual([0.25, 0.125]);
  });

  it("the segmenter's own augment replaces the preset's; a top-level augment sets both networks", () => {
    const own = resolvePreset({
      base: 'standard',
      augment: { rotateDeg: 15, nnunet: true },
      segmenter: { augment: {} },
    });
    expect([own.augment, segmenterPreset(own).augment]).toEqual([{ rotateDeg: 15, nnunet: true }, {}]);
    expect(segmenterPreset(own).epochs).toBe(2);
    const both = resolvePreset({ base: 'quick', augment: { rotateDeg: 5 } });
    expect([both.augment, segmenterPreset(both).augment]).toEqual([{ rotateDeg: 5 }, { rotateDeg: 5 }]);
  });

  it('accepts the nnU-Net chain, domain randomization and noise in augment', () => {
    const augment = {
      rotateDeg: 15,
      nnunet: { scaling: [0.5, 1.6] as const },
      domainRandomization: { probability: 0.5 },
      noise: { maxStd: 0.05 },
    };
    expect(resolvePreset({ base: 'quick', augment }).augment).toEqual(augment);
    expect(() =>
      checkPresetOverride({ augment: { nnunet: true, domainRandomization: false } }),
    ).not.toThrow();
  });

  it('names the field, what it must be and what it was', () => {
    const cases: [unknown, RegExp][] = [
      [{ epochs: 'ten' }, /tiny\.json: field 'epochs' must be an integer ≥ 1, got "ten"/],
      [{ epochs: 0 }, /tiny\.json: field 'epochs' must be an integer ≥ 1, got 0/],
      [{ segmenter: { frozenEpochs: 0 } }, /field 'segmenter.frozenEpochs' must be an integer ≥ 1, got 0/],
      [{ epoch: 3 }, /unknown field 'epoch' \(known: widthMultiplier, /],
      [{ localizerSize: [96] }, /field 'localizerSize' must be \[height, width\]/],
      [{ encoder: 'resnet50' }, /field 'encoder' must be 'resnet34' or 'resnet18', got "resnet50"/],
      [{ segmenter: { epochs: -1 } }, /field 'segmenter\.epochs' must be an integer ≥ 1, got -1/],
      [{ segmenter: { frame: 0.2 } }, /unknown field 'segmenter\.frame'/],
      [{ segmenter: { augment: { flip: 1 } } }, /field 'segmenter\.augment\.flip' must be /],
      [{ base: 'fast' }, /field 'base' must be 'paper', 'quick' or 'standard', got "fast"/],
      [{ cropJitter: 1 }, /field 'cropJitter' must be a number in \[0, 1\)/],
      [[1, 2], /tiny\.json: must be an object/],
      [{ augment: { rotateDeg: 200 } }, /field 'augment\.rotateDeg' must be in \[0, 180\] degrees, got 200/],
      [
        { augment: { nnunet: 'on' } },
        /field 'augment\.nnunet' must be true, false or an object with some of rotateDeg/,
      ],
      [{ augment: { nnunet: { scaling: [0.7] } } }, /field 'augment\.nnunet\.scaling' must be \[min, max\]/],
      [{ augment: { nnunet: { zoom: 2 } } }, /field 'augment\.nnunet\.zoom' must be a known field/],
      [
        { augment: { domainRandomization: { backgroundClasses: 0 } } },
        /field 'augment\.domainRandomization\.backgroundClasses' must be an integer in \[1, 16\], got 0/,
      ],
      [
        { segmenter: { augment: { noise: { maxStd: 1 } } } },
        /field 'segmenter\.augment\.noise\.maxStd' must be in \(0, 0\.5\], got 1/,
      ],
    ];
    for (const [override, message] of cases) {
      expect(() => checkPresetOverride(override, 'tiny.json')).toThrow(PresetError);
      expect(() => checkPresetOverride(override, 'tiny.json')).toThrow(message);
    }
    expect(() => resolvePreset('fast' as 'quick')).toThrow(/preset: unknown preset 'fast'/);
    expect(() => resolvePreset({ batchSize: 0 })).toThrow(/field 'batchSize' must be an integer ≥ 1, got 0/);
  });
});
