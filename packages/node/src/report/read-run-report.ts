import { MyosegError } from '@myoseg/core';
import type { DiceSummary } from '@myoseg/models/training';
import type {
  ReportSigma,
  ReportSlice,
  RunReport,
  Table1Row,
  TrainingCurve,
  TrainingEpoch,
  WholeVolumeRow,
} from './run-report';

/** A run report (e.g. a `report.json`) has a missing or malformed field. */
export class ReportFormatError extends MyosegError {
  /** Always `'REPORT_FORMAT'`. */
  override readonly code: string = 'REPORT_FORMAT';
  /** Path of the offending field, e.g. `table1[2].dice.mean`. */
  readonly field: string;

  /**
   * @param source - what was read, e.g. a file name.
   * @param field - path of the offending field.
   * @param expected - what the field should hold.
   * @param value - what it held.
   */
  constructor(source: string, field: string, expected: string, value: unknown) {
    super(`${source}: ${field}: expected ${expected}, got ${describe(value)}`);
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const PNG_BASE64 = /^iVBORw0KGgo[A-Za-z0-9+/]*={0,2}$/;

/** Field readers bound to one source; each returns a fresh, checked value or throws ReportFormatError. */
function readers(source: string) {
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new ReportFormatError(source, field, expected, value);
  };
  const object = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(field, 'an object', v);
  const string = (v: unknown, field: string): string =>
    typeof v === 'string' ? v : fail(field, 'a string', v);
  const number = (
    v: unknown,
    field: string,
    min = Number.NEGATIVE_INFINITY,
    max = Number.POSITIVE_INFINITY,
  ) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? v
      : fail(
          field,
          `a finite number${min > Number.NEGATIVE_INFINITY ? ` in [${min}, ${max === Number.POSITIVE_INFINITY ? '∞)' : `${max}]`}` : ''}`,
          v,
        );
  const count = (v: unknown, field: string): number =>
    Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(field, 'an integer ≥ 0', v);
  // JSON writes NaN and ±Infinity as null; in-memory reports may still hold them: both read as null
  const nullable =
    <T>(read: (v: unknown, field: string) => T) =>
    (v: unknown, field: string): T | null =>
      v === null || (typeof v === 'number' && !Number.isFinite(v)) ? null : read(v, field);
  const array = <T>(v: unknown, field: string, item: (v: unknown, field: string) => T): T[] =>
    Array.isArray(v) ? v.map((x, i) => item(x, `${field}[${i}]`)) : fail(field, 'an array', v);
  const record = <T>(v: unknown, field: string, item: (v: unknown, field: string) => T): Record<string, T> =>
    Object.fromEntries(Object.entries(object(v, field)).map(([k, x]) => [k, item(x, `${field}.${k}`)]));
  const scalar = (v: unknown, field: string): string | number | boolean =>
    typeof v === 'string' || typeof v === 'boolean' ? v : number(v, field);
  const dice = (v: unknown, field: string): number => number(v, field, 0, 1);
  const diceStats = (v: unknown, field: string): DiceSummary => {
    const o = object(v, field);
    return {
      mean: dice(o.mean, `${field}.mean`),
      min: dice(o.min, `${field}.min`),
      max: dice(o.max, `${field}.max`),
    };
  };
  return { fail, object, string, number, count, nullable, array, record, scalar, dice, diceStats };
}

/**
 * Checks a parsed `report.json` (or any object) field by field and returns it as a {@link RunReport}.
 *
 * Unknown fields are dropped; the result shares no objects with the input. Dice values must lie in
 * [0, 1], timings and distances be ≥ 0, `createdAt` be a parseable date and `pngBase64` hold a PNG.
 * Where the type allows null (paper numbers, HD95 statistics, training metrics), a non-finite number
 * (NaN, ±Infinity, which JSON cannot hold) is read as null.
 *
 * @param json - the parsed JSON value.
 * @param source - how to name the input in errors (default `"report.json"`).
 * @throws {@link ReportFormatError} naming the first missing or malformed field.
 */
export function readRunReport(json: unknown, source = 'report.json'): RunReport {
  const r = readers(source);
  const root = r.object(json, '(root)');
  const title = r.string(root.title, 'title');
  const createdAt = r.string(root.createdAt, 'createdAt');
  if (Number.isNaN(Date.parse(createdAt))) r.fail('createdAt', 'an ISO 8601 date-time', createdAt);

  const presetObject = r.object(root.preset, 'preset');
  const preset = {
    name: r.string(presetObject.name, 'preset.name'),
    settings: r.record(presetObject.settings, 'preset.settings', r.scalar),
  };
  const summary = root.summary === undefined ? undefined : r.record(root.summary, 'summary', r.scalar);

  const distance = r.nullable((x, f) => r.number(x, f, 0));
  const table1 = r.array(root.table1, 'table1', (v, field): Table1Row => {
    const o = r.object(v, field);
    const hd = r.object(o.hd95Mm, `${field}.hd95Mm`);
    return {
      label: r.string(o.label, `${field}.label`),
      dice: r.diceStats(o.dice, `${field}.dice`),
      paper: r.nullable(r.diceStats)(o.paper, `${field}.paper`),
      hd95Mm: {
        median: distance(hd.median, `${field}.hd95Mm.median`),
        mean: distance(hd.mean, `${field}.hd95Mm.mean`),
        infinite: r.count(hd.infinite, `${field}.hd95Mm.infinite`),
      },
      perGroup: r.record(o.perGroup, `${field}.perGroup`, (g, f) => {
        const go = r.object(g, f);
        return { mean: r.dice(go.mean, `${f}.mean`), n: r.count(go.n, `${f}.n`) };
      }),
    };
  });

  const wholeVolume =
    root.wholeVolume === undefined
      ? undefined
      : (() => {
          const o = r.object(root.wholeVolume, 'wholeVolume');
          return {
            description: r.string(o.description, 'wholeVolume.description'),
            rows: r.array(o.rows, 'wholeVolume.rows', (v, field): WholeVolumeRow => {
              const row = r.object(v, field);
              return {
                label: r.string(row.label, `${field}.label`),
                frames: r.count(row.frames, `${field}.frames`),
                dice: r.nullable(r.dice)(row.dice, `${field}.dice`),
                hd95Mm: distance(row.hd95Mm, `${field}.hd95Mm`),
                hdMm: distance(row.hdMm, `${field}.hdMm`),
                infiniteHd: r.count(row.infiniteHd, `${field}.infiniteHd`),
                massErrorG: r.nullable((x, f) => r.number(x, f))(row.massErrorG, `${field}.massErrorG`),
                absMassErrorG: distance(row.absMassErrorG, `${field}.absMassErrorG`),
              };
            }),
          };
        })();

  const distributionObject = r.object(root.diceDistribution, 'diceDistribution');
  const diceDistribution = {
    approach: r.string(distributionObject.approach, 'diceDistribution.approach'),
    groups: r.record(distributionObject.groups, 'diceDistribution.groups', (v, f) => r.array(v, f, r.dice)),
  };

  const sigmaObject = r.object(root.sigma, 'sigma');
  const points = r.array(sigmaObject.points, 'sigma.points', (v, field) => {
    const o = r.object(v, field);
    return { width: r.number(o.width, `${field}.width`, 0), sigma: r.number(o.sigma, `${field}.sigma`) };
  });
  let sigma: ReportSigma;
  if ('fixed' in sigmaObject) {
    sigma = { fixed: r.number(sigmaObject.fixed, 'sigma.fixed', 0), points };
  } else {
    const range = r.array(sigmaObject.range, 'sigma.range', (v, f) => r.number(v, f));
    if (range.length !== 2 || range[0] > range[1])
      r.fail('sigma.range', 'an ordered pair [lo, hi]', sigmaObject.range);
    sigma = {
      slope: r.number(sigmaObject.slope, 'sigma.slope'),
      intercept: r.number(sigmaObject.intercept, 'sigma.intercept'),
      range: [range[0], range[1]],
      points,
    };
  }

  const metric = r.nullable((v, f) => r.number(v, f));
  const training = r.array(root.training, 'training', (v, field): TrainingCurve => {
    const o = r.object(v, field);
    return {
      name: r.string(o.name, `${field}.name`),
      epochs: r.array(o.epochs, `${field}.epochs`, (e, f): TrainingEpoch => {
        const eo = r.object(e, f);
        const epoch: TrainingEpoch = {
          epoch: r.count(eo.epoch, `${f}.epoch`),
          loss: metric(eo.loss, `${f}.loss`),
        };
        if (eo.valLoss !== undefined) epoch.valLoss = metric(eo.valLoss, `${f}.valLoss`);
        if (eo.valDice !== undefined) epoch.valDice = r.nullable(r.dice)(eo.valDice, `${f}.valDice`);
        return epoch;
      }),
    };
  });

  const slices = r.array(root.slices, 'slices', (v, field): ReportSlice => {
    const o = r.object(v, field);
    const slice: ReportSlice = {
      title: r.string(o.title, `${field}.title`),
      patientId: r.string(o.patientId, `${field}.patientId`),
      group: r.string(o.group, `${field}.group`),
      dice: r.dice(o.dice, `${field}.dice`),
      pngBase64: r.string(o.pngBase64, `${field}.pngBase64`),
    };
    if (!PNG_BASE64.test(slice.pngBase64)) {
      r.fail(`${field}.pngBase64`, 'a base64-encoded PNG file', slice.pngBase64);
    }
    if (o.caption !== undefined) slice.caption = r.string(o.caption, `${field}.caption`);
    return slice;
  });

  const timings = r.record(root.timings, 'timings', (v, f) => r.number(v, f, 0));
  const notes = r.array(root.notes, 'notes', r.string);
  return {
    title,
    createdAt,
    preset,
    ...(summary === undefined ? {} : { summary }),
    ...(wholeVolume === undefined ? {} : { wholeVolume }),
    table1,
    diceDistribution,
    sigma,
    training,
    slices,
    timings,
    notes,
  };
}
