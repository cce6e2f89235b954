import { isMyosegError } from '@myoseg/core';
import type { MyocardiumPipeline } from '@myoseg/models';
import { segmentStudy } from '../batch/segment-study';
import { INPUT_ERROR_CODES } from '../cli/input-error-codes';
import { loadBullmq, type RedisConnection } from './connection';
import { DEFAULT_QUEUE_NAME, type SegmentationJob } from './segmentation-queue';

/** One event of a worker's life: a study it started, finished or failed. */
export interface WorkerEvent {
  /** The job id. */
  id: string;
  /** The study's output name. */
  name: string;
  /** What happened. */
  status: 'started' | 'done' | 'failed';
  /** The attempt (1-based). */
  attempt: number;
  /** Seconds it took (done). */
  seconds?: number;
  /** The error, starting with its code (failed). */
  error?: string;
  /** Whether it will be retried (failed). */
  retry?: boolean;
}

/** A running worker (see {@link createSegmentationWorker}). */
export interface SegmentationWorker {
  /** Finishes the studies in progress and takes no new one; resolves when done. */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker that segments the queue's studies with one loaded pipeline, writing exactly what
 * `myoseg segment` writes for them. A study whose input is bad (a typed input error: not NIfTI, a label map…)
 * fails at once; any other failure is retried (3 attempts, exponential backoff) before the study lands in the
 * failed set with its reason. A worker killed mid-study loses nothing: BullMQ hands the study to another worker
 * once its lock expires (`lockDurationMs`), and that worker rewrites its files.
 *
 * @param options.pipeline - loaded once per process (`loadPipelineFolder`).
 * @param options.concurrency - studies at a time (default 1; inference already uses the cores).
 * @param options.lockDurationMs - how long a study stays locked to a silent worker (default 30 000 ms).
 * @param options.onEvent - called as studies start, finish and fail.
 * @throws `QueueUnavailableError` when bullmq is not installed.
 */
export async function createSegmentationWorker(options: {
  connection: RedisConnection;
  pipeline: MyocardiumPipeline;
  name?: string;
  concurrency?: number;
  lockDurationMs?: number;
  onEvent?: (event: WorkerEvent) => void;
}): Promise<SegmentationWorker> {
  const { Worker, UnrecoverableError } = await loadBullmq();
  const lockDuration = options.lockDurationMs ?? 30_000;
  const emit = options.onEvent ?? (() => {});
  const worker = new Worker<SegmentationJob>(
    options.name ?? DEFAULT_QUEUE_NAME,
    async (job) => {
      const base = { id: String(job.id), name: job.data.name, attempt: job.attemptsMade + 1 };
      emit({ ...base, status: 'started' });
      await job.updateProgress(0);
      try {
        const { record } = await segmentStudy(
          { input: job.data.input, name: job.data.name, kind: job.data.kind },
          options.pipeline,
          { out: job.data.out, frames: job.data.frames, png: job.data.png },
          { err: () => {} },
        );
        await job.updateProgress(100);
        emit({ ...base, status: 'done', seconds: record.seconds });
        return { id: record.id, seconds: record.seconds, slices: record.slices, volumeMl: record.volumeMl };
      } catch (e) {
        const code = isMyosegError(e) ? e.code : 'ERROR';
        const error = `${code}: ${(e as Error).message.split('\n')[0]}`;
        const badInput = INPUT_ERROR_CODES.has(code);
        emit({
          ...base,
          status: 'failed',
          error,
          retry: !badInput && base.attempt < (job.opts.attempts ?? 1),
        });
        throw badInput ? new UnrecoverableError(error) : new Error(error);
      }
    },
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 2,
    },
  );
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}
