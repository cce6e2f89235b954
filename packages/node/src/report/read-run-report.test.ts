import { describe, expect, it } from 'vitest';
import { readRunReport } from './read-run-report';
import { refusedField, sampleRunReport } from './test-support';

// biome-ignore lint/suspicious/noExplicitAny: the tests write malformed values into parsed JSON on purpose
type LooseJson = Record<string, any>;

/** The sample report as parsed JSON, changed by `edit`. */
function edited(edit: (json: LooseJson) => void): unknown {
  const json = JSON.parse(JSON.stringify(sampleRunReport()));
  edit(json);
  return json;
}

/** A valid whole-volume row. */
const row = {
  label: 'all',
  frames: 4,
  dice: 0.8,
  hd95Mm: 4.1,
  hdMm: null,
  infiniteHd: 1,
  massErrorG: -2.5,
  absMassErrorG: 2.5,
};

function fieldOf(json: unknown): string {
  return refusedField(() => readRunReport(json), 'report.json');
}

describe('readRunReport', () => {
  it('accepts a JSON round trip of a valid report and returns an equal, unshared copy', () => {
    const report = sampleRunReport();
    const json = JSON.parse(JSON.stringify(report));
    const read = readRunReport(json);
    expect(read).toEqual(report);
    expect(read.table1[0]).not.toBe(json.table1[0]);
  });

  it('drops unknown fields and keeps optional ones', () => {
    const read = readRunReport(
      edited((j) => {
        j.extra = 1;
        j.table1[0].extra = 2;
      }),
    );
    expect('extra' in read).toBe(false);
    expect('extra' in read.table1[0]).toBe(false);
    expect(read.summary?.backend).toBe('wasm');
    expect(read.slices[0].caption).toBe('ED, slice 4');
  });

  it('accepts nulls where values may be missing (no paper number, no finite HD95, a diverged loss)', () => {
    const read = readRunReport(
      edited((j) => {
        j.table1[0].paper = null;
        j.table1[0].hd95Mm = { median: null, mean: null, infinite: 40 };
        j.training[1].epochs[2].loss = null;
      }),
    );
    expect(read.table1[0].paper).toBeNull();
    expect(read.table1[0].hd95Mm.median).toBeNull();
    expect(read.training[1].epochs[2].loss).toBeNull();
  });

  it('reads non-finite numbers of an in-memory report as null where null is allowed', () => {
    const report = sampleRunReport();
    report.training[0].epochs[0].loss = Number.NaN;
    report.table1[0].hd95Mm.mean = Number.POSITIVE_INFINITY;
    const read = readRunReport(report);
    expect(read.training[0].epochs[0].loss).toBeNull();
    expect(read.table1[0].hd95Mm.mean).toBeNull();
    report.table1[0].dice.mean = Number.NaN;
    expect(() => readRunReport(report)).toThrow('table1[0].dice.mean');
  });

  it('accepts a fixed σ', () => {
    const read = readRunReport(
      edited((j) => {
        j.sigma = { fixed: 0.4, points: [] };
      }),
    );
    expect(read.sigma).toEqual({ fixed: 0.4, points: [] });
  });

  it('names the offending field', () => {
    const cases: [(j: LooseJson) => void, string][] = [
      [(j) => delete j.title, 'title'],
      [(j) => (j.createdAt = 'yesterday'), 'createdAt'],
      [(j) => (j.preset.settings.epochs = [1]), 'preset.settings.epochs'],
      [(j) => (j.table1[2].dice.mean = 1.2), 'table1[2].dice.mean'],
      [(j) => (j.table1[1].paper.max = '0.9'), 'table1[1].paper.max'],
      [(j) => (j.table1[0].hd95Mm.infinite = 1.5), 'table1[0].hd95Mm.infinite'],
      [(j) => (j.table1[0].perGroup.DCM.n = -1), 'table1[0].perGroup.DCM.n'],
      [(j) => (j.diceDistribution.groups.RV[3] = null), 'diceDistribution.groups.RV[3]'],
      [(j) => (j.sigma.range = [1, 0]), 'sigma.range'],
      [(j) => delete j.sigma.slope, 'sigma.slope'],
      [(j) => (j.sigma.points[5].width = -3), 'sigma.points[5].width'],
      [(j) => (j.training[0].epochs[1].valDice = 2), 'training[0].epochs[1].valDice'],
      [(j) => delete j.training[1].name, 'training[1].name'],
      [(j) => (j.slices[1].pngBase64 = 'R0lGODlh'), 'slices[1].pngBase64'],
      [(j) => (j.slices[2].patientId = 42), 'slices[2].patientId'],
      [(j) => (j.timings.evaluate = -1), 'timings.evaluate'],
      [(j) => (j.notes = 'one note'), 'notes'],
      [(j) => (j.summary = []), 'summary'],
      [(j) => (j.wholeVolume = { description: 'all frames', rows: [] }), ''],
      [
        (j) => (j.wholeVolume = { description: 'all frames', rows: [{ ...row, dice: 2 }] }),
        'wholeVolume.rows[0].dice',
      ],
      [(j) => (j.wholeVolume = { rows: [row] }), 'wholeVolume.description'],
      [
        (j) => (j.wholeVolume = { description: 'd', rows: [{ ...row, infiniteHd: -1 }] }),
        'wholeVolume.rows[0].infiniteHd',
      ],
    ];
    for (const [edit, field] of cases) {
      if (field === '') expect(() => readRunReport(edited(edit))).not.toThrow();
      else expect(fieldOf(edited(edit))).toBe(field);
    }
    expect(fieldOf(null)).toBe('(root)');
    expect(fieldOf([])).toBe('(root)');
  });

  it('says what was expected and what it got, and uses the given source name', () => {
    expect(() =>
      readRunReport(
        edited((j) => (j.table1[0].dice.min = 'x')),
        'run/report.json',
      ),
    ).toThrow('run/report.json: table1[0].dice.min: expected a finite number in [0, 1], got "x"');
    expect(() => readRunReport(edited((j) => delete j.notes))).toThrow(
      'notes: expected an array, got nothing (missing)',
    );
  });
});
