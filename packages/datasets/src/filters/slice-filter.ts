import type { SliceSample } from '../acdc/types';
import { InvalidOptionError } from '../errors';
import { robustBrightness } from './brightness';
import { paperFilters } from './paper-filters';

/** What a filter may look at besides the sample: its stack (same patient and phase) and brightness. */
export interface SliceContext {
  /** All samples of the same patient and phase among those filtered (the sample included). */
  stack: readonly SliceSample[];
  /** The sample's robust brightness (99th percentile of its intensities). */
  brightness: number;
  /** The median of the stack's brightnesses. */
  stackBrightness: number;
}

/** A named predicate on slices: `reject` returns why the slice is rejected, or null to keep it. */
export interface SliceFilter {
  /** A short kebab-case name, used as the key of {@link FilterReport.removedBy}. */
  readonly name: string;
  /** Why `sample` is rejected (one sentence with the numbers), or null when it passes. */
  reject(sample: SliceSample, context: SliceContext): string | null;
}

/** A rejected slice and the reasons of every filter that rejected it. */
export interface RejectedSlice {
  /** The slice. */
  sample: SliceSample;
  /** The first filter (in the given order) that rejected it. */
  filter: string;
  /** That filter's reason. */
  reason: string;
  /** All rejecting filters with their reasons, in order. */
  reasons: FilterReason[];
}

/** One filter's verdict on a rejected slice. */
export interface FilterReason {
  /** The filter's name. */
  filter: string;
  /** Why it rejected the slice. */
  reason: string;
}

/** The outcome of {@link filterSlices}. */
export interface FilterReport {
  /** Samples that every filter kept, in input order. */
  kept: SliceSample[];
  /** Samples that some filter rejected, in input order. */
  rejected: RejectedSlice[];
  /** Per filter name, how many slices it removed first (the counts add up to `rejected.length`). */
  removedBy: Record<string, number>;
  /** Per filter name, how many slices it rejects at all (a slice may count for several filters). */
  failedBy: Record<string, number>;
  /** Number of input samples. */
  total: number;
}

/**
 * Applies filters to samples and says how many each one removed (the paper removed 734 of 2903 slices).
 * A slice is kept when no filter rejects it; each rejection is counted once, for its first rejecting filter.
 *
 * @param samples - samples with their `labelMap` (any label mode); an empty list gives an empty report.
 * @param filters - the filters in order; default {@link paperFilters}.
 */
export function filterSlices(
  samples: readonly SliceSample[],
  filters: readonly SliceFilter[] = paperFilters,
): FilterReport {
  const names = filters.map((f) => f.name);
  if (new Set(names).size !== names.length) {
    throw new InvalidOptionError(`filterSlices: filter names must be unique, got ${names.join(', ')}`);
  }
  const stacks = new Map<string, SliceSample[]>();
  for (const sample of samples) {
    const key = `${sample.patientId}\u0000${sample.phase}`;
    const stack = stacks.get(key);
    if (stack) stack.push(sample);
    else stacks.set(key, [sample]);
  }
  const brightness = new Map<SliceSample, number>(samples.map((s) => [s, robustBrightness(s.image)]));
  const stackBrightness = new Map<readonly SliceSample[], number>();
  for (const stack of stacks.values()) {
    const values = stack.map((s) => brightness.get(s)!).sort((a, b) => a - b);
    const mid = values.length >> 1;
    stackBrightness.set(stack, values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2);
  }
  const report: FilterReport = {
    kept: [],
    rejected: [],
    removedBy: Object.fromEntries(names.map((n) => [n, 0])),
    failedBy: Object.fromEntries(names.map((n) => [n, 0])),
    total: samples.length,
  };
  for (const sample of samples) {
    const stack = stacks.get(`${sample.patientId}\u0000${sample.phase}`)!;
    const context: SliceContext = {
      stack,
      brightness: brightness.get(sample)!,
      stackBrightness: stackBrightness.get(stack)!,
    };
    const reasons: FilterReason[] = [];
    for (const filter of filters) {
      const reason = filter.reject(sample, context);
      if (reason !== null) reasons.push({ filter: filter.name, reason });
    }
    if (reasons.length === 0) {
      report.kept.push(sample);
      continue;
    }
    report.rejected.push({ sample, filter: reasons[0].filter, reason: reasons[0].reason, reasons });
    report.removedBy[reasons[0].filter]++;
    for (const r of reasons) report.failedBy[r.filter]++;
  }
  return report;
}
