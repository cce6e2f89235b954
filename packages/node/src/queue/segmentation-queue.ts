import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Study } from '../batch/studies';
import { loadBullmq, type RedisConnection } from './connection';

/** The queue's name when none is given. */
export const DEFAULT_QUEUE_NAME = 'myoseg-segment';

/** What a job asks: segment one study into `out` (the same files `myoseg segment` writes there). */
export interface SegmentationJob {
  /** The image file, absolute. */
  input: string;
  /** Output name stem. */
  name: string;
  /** `dicom` for a DICOM study folder; default NIfTI. */
  kind?: 'nifti' | 'dicom';
  /** Output folder, absolute. */
  out: string;
  /** 4D inputs: which frames (0-based); default all. */
  frames?: number[];
  /** Also write overlay PNGs. */
  png?: boolean;
}

/** Job counts per state (BullMQ's). */
export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/** A study that failed every attempt, or failed on bad input at once. */
export interface FailedStudy {
  /** The job id. */
  id: string;
  /** The image file. */
  input: string;
  /** Why: the last attempt's error, starting with its code. */
  reason: string;
}

/** A segmentation queue on Redis (see {@link createSegmentationQueue}). */
export interface SegmentationQueue {
  /**
   * Enqueues one job per study; a study already in the queue (any state, by its job id) is not added again, except
   * that `retryFailed` sends a study of the failed set back to the waiting list (after its input was fixed).
   *
   * @returns how many were added, retried, and were there already.
   */
  submit(
    studies: readonly Study[],
    options: Omit<SegmentationJob, 'input' | 'name' | 'kind'> & { retryFailed?: boolean },
  ): Promise<{ added: number; retried: number; existing: number }>;
  /** Counts per state, and the failed studies with their reasons. */
  status(): Promise<{ counts: QueueCounts; failed: FailedStudy[] }>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/**
 * The id of a study's job: derived from its input path and output folder, so that submitting the same study into
 * the same folder twice adds one job.
 */
export function studyJobId(input: string, out: string): string {
  return `study-${createHash('sha256')
    .update(`${resolve(out)}\0${resolve(input)}`)
    .digest('hex')
    .slice(0, 40)}`;
}

/** Retries of a job whose failure may pass (I/O, an interrupted worker): 3 attempts, 1 s, 2 s, 4 s apart. */
export const JOB_ATTEMPTS = Object.freeze({ attempts: 3, backoff: { type: 'exponential', delay: 1000 } });

/**
 * Opens a BullMQ queue of segmentation jobs on Redis. Needs the optional peer `bullmq` (with `ioredis`).
 *
 * @param options.connection - where Redis listens (`redisConnection(url)`).
 * @param options.name - the queue's name (default {@link DEFAULT_QUEUE_NAME}); workers must use the same.
 * @throws `QueueUnavailableError` when bullmq is not installed.
 * @example
 * ```ts
 * const queue = await createSegmentationQueue({ connection: redisConnection('redis://127.0.0.1:6379') });
 * await queue.submit([{ input: '/data/s1.nii.gz', name: 's1' }], { out: '/results' });
 * console.log(await queue.status());
 * await queue.close();
 * ```
 */
export async function createSegmentationQueue(options: {
  connection: RedisConnection;
  name?: string;
}): Promise<SegmentationQueue> {
  const { Queue } = await loadBullmq();
  const queue = new Queue<SegmentationJob>(options.name ?? DEFAULT_QUEUE_NAME, {
    connection: options.connection,
  });
  return {
    async submit(studies, { retryFailed = false, ...jobOptions }) {
      const out = resolve(jobOptions.out);
      let added = 0;
      let retried = 0;
      for (const study of studies) {
        const jobId = studyJobId(study.input, out);
        const job = await queue.getJob(jobId);
        if (job) {
          if (retryFailed && (await job.getState()) === 'failed') {
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
            retried++;
          }
          continue;
        }
        const data: SegmentationJob = {
          ...jobOptions,
          input: resolve(study.input),
          name: study.name,
          ...(study.kind ? { kind: study.kind } : {}),
          out,
        };
        await queue.add('segment', data, { jobId, ...JOB_ATTEMPTS });
        added++;
      }
      return { added, retried, existing: studies.length - added - retried };
    },
    async status() {
      const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
      const counts: QueueCounts = {
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        delayed: c.delayed ?? 0,
      };
      const failed = (await queue.getFailed(0, -1)).map((job) => ({
        id: String(job.id),
        input: job.data.input,
        reason: job.failedReason,
      }));
      return { counts, failed };
    },
    close: () => queue.close(),
  };
}
