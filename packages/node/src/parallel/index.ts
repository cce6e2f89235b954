export {
  createDataParallelTrainer,
  type DataParallelOptions,
  type DataParallelTrainer,
  shardRows,
} from './data-parallel';
export { DataParallelError } from './errors';
export { runDataParallelWorker } from './worker';
