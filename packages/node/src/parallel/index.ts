export {
  createDataParallelTrainer,
  type DataParallelOptions,
  type DataParallelTrainer,
  shardRows,
} from './data-parallel';
export { DataParallelError } from './errors';
export { dataParallelStages, defaultTrainingThreads, MIN_ROWS_PER_THREAD } from './training-threads';
export { runDataParallelWorker } from './worker';
