import { resolve } from 'node:path';
import { initBackend } from '../../backend';
import { planStudies } from '../../batch/studies';
import { checkWritable } from '../../files/output-folder';
import { redisConnection } from '../../queue/connection';
import { createSegmentationQueue } from '../../queue/segmentation-queue';
import { createSegmentationWorker } from '../../queue/segmentation-worker';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';

/** Options every `myoseg queue` command takes. */
export interface QueueOptions {
  /** Redis URL. */
  redis: string;
  /** Queue name (default `myoseg-segment`). */
  queue?: string;
  /** Machine-readable output. */
  json?: boolean;
}

/**
 * `myoseg queue submit --redis URL --out DIR INPUT... | --list FILE`: one job per study (names as `segment`
 * gives them); a study already queued for the same `--out` is not added again (`--retry-failed` sends the failed
 * ones among them back to the waiting list).
 */
export async function queueSubmitCommand(
  io: CliIo,
  inputs: readonly string[],
  options: QueueOptions & {
    out: string;
    list?: string;
    frames?: number[];
    png?: boolean;
    retryFailed?: boolean;
  },
): Promise<number> {
  const connection = redisConnection(options.redis);
  const plan = await planStudies(inputs, options.list, null);
  for (const f of plan.failed) io.err(`not submitted: ${f.error}`);
  await checkWritable(options.out, `--out ${options.out}`);
  const queue = await createSegmentationQueue({ connection, name: options.queue });
  try {
    const { added, retried, existing } = await queue.submit(plan.studies, {
      out: resolve(options.out),
      retryFailed: options.retryFailed === true,
      ...(options.frames ? { frames: options.frames } : {}),
      ...(options.png ? { png: true } : {}),
    });
    if (options.json) io.out(JSON.stringify({ added, retried, existing, notSubmitted: plan.failed }));
    else
      io.out(
        `${added} submitted, ${existing} already queued, ${plan.failed.length} not submitted${retried > 0 ? `, ${retried} failed studies retried` : ''}`,
      );
  } finally {
    await queue.close();
  }
  return plan.failed.length > 0 ? 1 : 0;
}

/**
 * `myoseg queue worker --redis URL [--model DIR] [--concurrency N]`: loads the model once and segments the queue's
 * studies until SIGTERM/SIGINT, then finishes the study in progress and exits 0. One NDJSON line per event on
 * stdout (`started`, `done`, `failed`).
 */
export async function queueWorkerCommand(
  io: CliIo,
  options: QueueOptions & {
    model?: string;
    concurrency?: number;
    lockDuration?: number;
    backend?: string;
    runtime?: string;
    precision?: string;
    stop?: { on(listener: () => void): void; off(listener: () => void): void };
  },
): Promise<number> {
  const connection = redisConnection(options.redis);
  await initBackend({ prefer: options.backend as never, env: io.env });
  const loaded = await loadModelForInference(io, options.model, options);
  const worker = await createSegmentationWorker({
    connection,
    pipeline: loaded.pipeline,
    name: options.queue,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDuration,
    onEvent: (event) => io.out(JSON.stringify(event)),
  });
  io.err(
    `worker ready on ${connection.host}:${connection.port}; SIGTERM finishes the current study and stops`,
  );
  const stop = options.stop ?? {
    on: (l: () => void) => {
      process.once('SIGTERM', l);
      process.once('SIGINT', l);
    },
    off: (l: () => void) => {
      process.off('SIGTERM', l);
      process.off('SIGINT', l);
    },
  };
  await new Promise<void>((done) => {
    const listener = () => {
      io.err('stopping: finishing the current study');
      stop.off(listener);
      done();
    };
    stop.on(listener);
  });
  await worker.close();
  loaded.dispose();
  return 0;
}

/** `myoseg queue status --redis URL [--json]`: counts per state and the failed studies with their reasons. */
export async function queueStatusCommand(io: CliIo, options: QueueOptions): Promise<number> {
  const queue = await createSegmentationQueue({
    connection: redisConnection(options.redis),
    name: options.queue,
  });
  try {
    const status = await queue.status();
    if (options.json) io.out(JSON.stringify(status));
    else {
      io.out(
        Object.entries(status.counts)
          .map(([state, n]) => `${state} ${n}`)
          .join(', '),
      );
      for (const f of status.failed) io.out(`failed ${f.input}: ${f.reason}`);
    }
  } finally {
    await queue.close();
  }
  return 0;
}
