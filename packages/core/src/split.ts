import { seededRandom, shuffled } from './random';
import { assertInteger, assertNumber } from './validate';

/** Anything that belongs to a patient. */
export interface PatientItem {
  /** The patient's id: items with the same id always land in the same part. */
  patientId: string;
}

/** Options of {@link splitByPatient}. */
export interface SplitOptions<T> {
  /** Fractions of patients per part, e.g. `[0.6, 0.2, 0.2]`; normalized to sum 1. */
  ratios: readonly number[];
  /** Seed of the shuffle (required: splits must be reproducible). */
  seed: number;
  /** A key to stratify by (e.g. `'group'`, or a function of the item); patients of each stratum are spread evenly. */
  stratifyBy?: keyof T | ((item: T) => string);
}

/**
 * Splits items (slices, samples) into parts by patient: every patient's items land in one part, never two.
 * Patients are shuffled with the seed within each stratum, dealt round-robin across strata, then cut by the
 * cumulative ratios, so each part holds about its share of every stratum. The result depends only on the set
 * of patient ids, their strata and the seed, not on the items' order.
 *
 * @param items - anything with a `patientId`.
 * @returns one array per ratio, items kept in their input order.
 * @throws RangeError for empty or negative ratios, or a non-integer seed.
 */
export function splitByPatient<T extends PatientItem>(items: readonly T[], options: SplitOptions<T>): T[][] {
  const { ratios, seed, stratifyBy } = options;
  if (ratios.length === 0)
    throw new RangeError('splitByPatient: ratios is empty; expected e.g. [0.6, 0.2, 0.2]');
  ratios.forEach((r, i) => {
    assertNumber(`splitByPatient: ratios[${i}]`, r, 0);
  });
  const total = ratios.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('splitByPatient: ratios must not all be 0');
  assertInteger('splitByPatient: seed', Math.abs(seed), 0);
  const stratumOf = (item: T): string =>
    stratifyBy === undefined
      ? ''
      : typeof stratifyBy === 'function'
        ? stratifyBy(item)
        : String(item[stratifyBy]);
  const strata = new Map<string, Set<string>>();
  for (const item of items) {
    const s = stratumOf(item);
    if (!strata.has(s)) strata.set(s, new Set());
    strata.get(s)!.add(item.patientId);
  }
  const random = seededRandom(seed);
  const queues = [...strata.keys()].sort().map((s) => shuffled([...strata.get(s)!].sort(), random));
  const order: string[] = [];
  for (let round = 0; queues.some((q) => round < q.length); round++) {
    for (const q of queues) if (round < q.length) order.push(q[round]);
  }
  const partOf = new Map<string, number>();
  let cumulative = 0;
  let start = 0;
  ratios.forEach((r, part) => {
    cumulative += r / total;
    const end = part === ratios.length - 1 ? order.length : Math.round(cumulative * order.length);
    for (let i = start; i < end; i++) partOf.set(order[i], part);
    start = Math.max(start, end);
  });
  const parts: T[][] = ratios.map(() => []);
  for (const item of items) parts[partOf.get(item.patientId)!].push(item);
  return parts;
}
