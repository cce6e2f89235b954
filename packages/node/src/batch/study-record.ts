import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '@myoseg/datasets/node';

/** A file a study wrote, as its completion record lists it. */
export interface StudyOutput {
  /** File name inside `--out`. */
  file: string;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of its contents, hex. */
  sha256: string;
}

/**
 * `<name>.study.json`, written into `--out` after every other output of a study: its presence, with every listed
 * file still there and unchanged, is what `--skip-existing` takes for a finished study.
 */
export interface StudyRecord {
  /** Always `'myoseg-study'`. */
  format: 'myoseg-study';
  /** The study's output name. */
  id: string;
  /** The input image, as given. */
  input: string;
  /** Every file the study wrote (masks, overlays). */
  outputs: StudyOutput[];
  /** Slices segmented, over all frames. */
  slices: number;
  /** Myocardial volume in ml per frame written (absent where the input has no spacing). */
  volumeMl: (number | null)[];
  /** Myocardial mass in g per frame (1.05 g/ml). */
  massG: (number | null)[];
  /** Seconds it took. */
  seconds: number;
  /** ISO time it finished. */
  finishedAt: string;
}

/** Where a study's completion record goes. */
export const studyRecordPath = (out: string, id: string): string => join(out, `${id}.study.json`);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes a study's completion record last (atomically), listing `files` (paths inside `out`) with their sizes
 * and SHA-256.
 */
export async function writeStudyRecord(
  out: string,
  record: Omit<StudyRecord, 'format' | 'outputs' | 'finishedAt'>,
  files: readonly string[],
): Promise<StudyRecord> {
  const outputs: StudyOutput[] = [];
  for (const path of files) {
    const bytes = await readFile(path);
    outputs.push({ file: basename(path), bytes: bytes.byteLength, sha256: sha256(bytes) });
  }
  const full: StudyRecord = {
    format: 'myoseg-study',
    ...record,
    outputs,
    finishedAt: new Date().toISOString(),
  };
  await writeFileAtomic(studyRecordPath(out, record.id), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/**
 * A study's record when the study is finished: the record reads, names this study, and every file it lists is in
 * `out` with the same size and SHA-256. Null otherwise (never run, killed before its record, or an output removed
 * or changed since).
 */
export async function finishedStudy(out: string, id: string): Promise<StudyRecord | null> {
  let record: StudyRecord;
  try {
    record = JSON.parse(await readFile(studyRecordPath(out, id), 'utf8'));
  } catch {
    return null;
  }
  if (record?.format !== 'myoseg-study' || record.id !== id || !Array.isArray(record.outputs)) return null;
  for (const o of record.outputs) {
    const bytes = await readFile(join(out, String(o.file))).catch(() => null);
    if (!bytes || bytes.byteLength !== o.bytes || sha256(bytes) !== o.sha256) return null;
  }
  return record;
}
