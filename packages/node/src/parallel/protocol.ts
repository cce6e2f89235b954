/** The first message to a worker: the model to replicate and the shared buffers. */
export interface InitMessage {
  type: 'init';
  /** This replica's index (≥ 1; the calling thread is replica 0). */
  replica: number;
  /** `model.toJSON()`: the replica is built from it. */
  topology: string;
  /** Every weight's `originalName`, in `stableWeightOrder`: the replica checks that its own match. */
  weightNames: string[];
  /** Every weight of the model, float32, laid out by `weightLayout` in that order. */
  weights: SharedArrayBuffer;
  /** This replica's gradients (and running statistics), same layout. */
  gradients: SharedArrayBuffer;
  /** The control words of `barrier.ts`. */
  control: SharedArrayBuffer;
  /** Longest wait for another replica, in ms. */
  timeoutMs: number;
}

/** One step: the replica's rows of the batch and what to differentiate. */
export interface StepMessage {
  type: 'step';
  /** Step number, from 1. */
  step: number;
  /** The replica's rows `[start, end)` of the batch. */
  rows: [number, number];
  /** Their inputs, `[end − start, h, w, c]` packed. */
  x: Float32Array;
  /** `[h, w, c]` of one input. */
  inputShape: [number, number, number];
  /** `[batch, h, w, classes]` of the whole batch's output. */
  outputShape: [number, number, number, number];
  /** Indices (in `stableWeightOrder`) of the weights to differentiate. */
  params: number[];
  /** Indices of the weights that changed since this replica last read them: read from the weights buffer first. */
  reload: number[];
  /** The whole batch's outputs, float32 `outputShape`. */
  outputs: SharedArrayBuffer;
  /** The loss's gradient with respect to them, same shape. */
  cotangents: SharedArrayBuffer;
}

/** What the calling thread sends. */
export type ToWorker = InitMessage | StepMessage;

/** What a worker answers: ready after init, done after a step, or why it failed. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; step: number }
  | { type: 'error'; message: string };
