import { InputFileError } from '../errors';

/** The review tool's four verdicts on a pair of masks (the paper's figure 5). */
export const VERDICTS = ['better-a', 'better-b', 'same-good', 'same-bad'] as const;

/** One of {@link VERDICTS}. */
export type Verdict = (typeof VERDICTS)[number];

/** Button labels of the verdicts. */
export const VERDICT_LABELS: Readonly<Record<Verdict, string>> = {
  'better-a': 'Better A',
  'better-b': 'Better B',
  'same-good': 'Same, good',
  'same-bad': 'Same, bad',
};

/** One verdict: which slice, which two masks, and what the reviewer chose. */
export interface VerdictRecord {
  /** The image file's name. */
  image: string;
  /** The patient (from `Info.cfg`'s folder or the file name). */
  patient: string;
  /** Time frame index from 0 (0 for 2D and 3D files). */
  frameIndex: number;
  /** Slice index `k` from 0 (NIfTI's third axis). */
  sliceIndex: number;
  /** Mask A's source (a label file's name, or `model`). */
  maskA: string;
  /** Mask B's source. */
  maskB: string;
  /** The verdict. */
  verdict: Verdict;
  /** When it was given, ISO 8601. */
  ratedAt: string;
}

/** The columns of {@link VerdictTable.toCsv}, in order. */
export const CSV_COLUMNS = [
  'image',
  'patient',
  'frameIndex',
  'sliceIndex',
  'maskA',
  'maskB',
  'verdict',
  'ratedAt',
] as const satisfies readonly (keyof VerdictRecord)[];

/** `format` of {@link VerdictTable.toJson}'s document. */
export const VERDICTS_FORMAT = 'myoseg-review-verdicts';
/** `version` of {@link VerdictTable.toJson}'s document. */
export const VERDICTS_VERSION = 1;

/** What identifies a comparison: the slice and the two masks. */
export type ComparisonKey = Pick<VerdictRecord, 'image' | 'frameIndex' | 'sliceIndex' | 'maskA' | 'maskB'>;

const keyOf = (c: ComparisonKey) => JSON.stringify([c.image, c.frameIndex, c.sliceIndex, c.maskA, c.maskB]);

const csvField = (value: string | number) => {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Checks one record read from JSON; the message names `source` and the record's position. */
function checkRecord(value: unknown, at: string): VerdictRecord {
  const r = value as Record<string, unknown>;
  const fail = (problem: string): never => {
    throw new InputFileError(at, problem);
  };
  if (!r || typeof r !== 'object') fail('is not an object');
  for (const field of ['image', 'patient', 'maskA', 'maskB', 'ratedAt'] as const) {
    if (typeof r[field] !== 'string') fail(`field '${field}' must be a string`);
  }
  for (const field of ['frameIndex', 'sliceIndex'] as const) {
    const n = r[field];
    if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0))
      fail(`field '${field}' must be an integer ≥ 0`);
  }
  if (!VERDICTS.includes(r.verdict as Verdict)) fail(`field 'verdict' must be one of ${VERDICTS.join(', ')}`);
  const { image, patient, frameIndex, sliceIndex, maskA, maskB, verdict, ratedAt } =
    r as unknown as VerdictRecord;
  return { image, patient, frameIndex, sliceIndex, maskA, maskB, verdict, ratedAt };
}

/** The verdicts of a review session: at most one per slice and pair of masks (a new verdict replaces the old). */
export class VerdictTable {
  readonly #rows = new Map<string, VerdictRecord>();

  /** @param records - initial verdicts (later ones replace earlier ones on the same comparison). */
  constructor(records: readonly VerdictRecord[] = []) {
    for (const r of records) this.set(r);
  }

  /** Number of verdicts. */
  get size(): number {
    return this.#rows.size;
  }

  /** Records `record`, replacing any verdict on the same comparison. */
  set(record: VerdictRecord): void {
    this.#rows.set(keyOf(record), { ...record });
  }

  /** The verdict on a comparison, if any. */
  get(comparison: ComparisonKey): VerdictRecord | undefined {
    return this.#rows.get(keyOf(comparison));
  }

  /** Removes the verdict on a comparison; true if there was one. */
  delete(comparison: ComparisonKey): boolean {
    return this.#rows.delete(keyOf(comparison));
  }

  /** Removes every verdict. */
  clear(): void {
    this.#rows.clear();
  }

  /** All verdicts, sorted by image, frame, slice, mask A, mask B. */
  records(): VerdictRecord[] {
    return [...this.#rows.values()].sort(
      (a, b) =>
        a.image.localeCompare(b.image) ||
        a.frameIndex - b.frameIndex ||
        a.sliceIndex - b.sliceIndex ||
        a.maskA.localeCompare(b.maskA) ||
        a.maskB.localeCompare(b.maskB),
    );
  }

  /**
   * The verdicts as CSV: a header line of {@link CSV_COLUMNS}, then one line per verdict in {@link records}
   * order; fields holding a comma, quote or line break are quoted (RFC 4180). Lines end with `\n`.
   */
  toCsv(): string {
    const lines = this.records().map((r) => CSV_COLUMNS.map((c) => csvField(r[c])).join(','));
    return `${[CSV_COLUMNS.join(','), ...lines].join('\n')}\n`;
  }

  /** The verdicts as a JSON document: `{ format, version, verdicts: [...] }` in {@link records} order. */
  toJson(): string {
    return `${JSON.stringify({ format: VERDICTS_FORMAT, version: VERDICTS_VERSION, verdicts: this.records() }, null, 2)}\n`;
  }

  /**
   * Reads a document written by {@link toJson}.
   *
   * @param source - where the text came from (a file name), for messages.
   * @throws {@link InputFileError} naming `source` (and the record) when the text is not such a document.
   */
  static fromJson(text: string, source: string): VerdictTable {
    let doc: { format?: unknown; version?: unknown; verdicts?: unknown };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new InputFileError(source, `not valid JSON (${(e as Error).message})`);
    }
    if (doc?.format !== VERDICTS_FORMAT || doc.version !== VERDICTS_VERSION || !Array.isArray(doc.verdicts)) {
      throw new InputFileError(
        source,
        `expected {"format": "${VERDICTS_FORMAT}", "version": ${VERDICTS_VERSION}, "verdicts": [...]}`,
      );
    }
    return new VerdictTable(doc.verdicts.map((v, i) => checkRecord(v, `${source}: verdicts[${i}]`)));
  }
}
