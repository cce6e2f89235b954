// `@myoseg/node/queue`: cohorts on a BullMQ/Redis job queue (needs the optional peers bullmq and ioredis).

export type { Study } from './batch/studies';
export { QueueUnavailableError } from './errors';
export { type RedisConnection, redisConnection } from './queue/connection';
export {
  createSegmentationQueue,
  DEFAULT_QUEUE_NAME,
  type FailedStudy,
  JOB_ATTEMPTS,
  type QueueCounts,
  type SegmentationJob,
  type SegmentationQueue,
  studyJobId,
} from './queue/segmentation-queue';
export {
  createSegmentationWorker,
  type SegmentationWorker,
  type WorkerEvent,
} from './queue/segmentation-worker';
