import { MyosegError } from '@myoseg/core';

/** Bytes that are not a valid safetensors file (header, dtype, shape or offsets). */
export class SafetensorsFormatError extends MyosegError {
  /** Always `'SAFETENSORS_FORMAT'`. */
  override readonly code: string = 'SAFETENSORS_FORMAT';
}

/** A tensor of a weight file that does not fit the model: expected shape or dtype vs what the file holds. */
export interface WeightShapeMismatch {
  /** The tensor's name in the file (`layer1.0.conv1.weight`). */
  readonly name: string;
  /** The shape the model needs, in the file's layout (PyTorch's `[out, in, kh, kw]` for a conv). */
  readonly expected: readonly number[];
  /** The shape in the file. */
  readonly actual: readonly number[];
  /** The file's dtype, when it is not a float type. */
  readonly dtype?: string;
}

/** A weight file does not fit a model: lists every missing, mis-shaped and unexpected tensor at once. */
export class WeightMismatchError extends MyosegError {
  /** Always `'WEIGHT_MISMATCH'`. */
  override readonly code: string = 'WEIGHT_MISMATCH';
  /** Tensors the model needs that the file lacks. */
  readonly missing: readonly string[];
  /** Tensors whose shape or dtype does not fit. */
  readonly mismatched: readonly WeightShapeMismatch[];
  /** Tensors of the file that belong to no layer of the model (other than the ignored `fc.*`, `num_batches_tracked`). */
  readonly unexpected: readonly string[];

  /**
   * @param source - which file or argument, for the message.
   * @param missing - see {@link WeightMismatchError.missing}.
   * @param mismatched - see {@link WeightMismatchError.mismatched}.
   * @param unexpected - see {@link WeightMismatchError.unexpected}.
   */
  constructor(
    source: string,
    missing: readonly string[],
    mismatched: readonly WeightShapeMismatch[],
    unexpected: readonly string[],
  ) {
    const parts = [
      missing.length > 0 ? `missing (${missing.length}): ${missing.join(', ')}` : '',
      mismatched.length > 0
        ? `mismatched (${mismatched.length}): ${mismatched
            .map(
              (m) =>
                `${m.name} expected [${m.expected.join(', ')}] got ${m.dtype ?? ''}[${m.actual.join(', ')}]`,
            )
            .join('; ')}`
        : '',
      unexpected.length > 0 ? `unexpected (${unexpected.length}): ${unexpected.join(', ')}` : '',
    ].filter((p) => p !== '');
    super(`${source}: the weights do not fit the model: ${parts.join('; ')}`);
    this.missing = missing;
    this.mismatched = mismatched;
    this.unexpected = unexpected;
  }
}
