// The graph a training rule writes to, and the small helpers the rules share.
import { GraphBuilder } from '../graph-builder';
import type { OnnxAttribute } from '../onnx-proto';

/** A Transpose's `perm` attribute. */
export const perm = (ints: number[]): OnnxAttribute[] => [{ name: 'perm', ints }];

/** A reduction's `axes` and `keepdims` attributes (opset 17: ReduceMean's axes are an attribute). */
export const reduceAxes = (ints: number[], keep: 0 | 1): OnnxAttribute[] => [
  { name: 'axes', ints },
  { name: 'keepdims', int: keep },
];

/** The spatial and batch axes of an NCHW tensor: BatchNorm's and bias's reduction axes. */
export const NHW = [0, 2, 3];

/** `[C, H, W]` of a tfjs `[N, H, W, C]` shape. */
export const nchw = (s: readonly number[]) => [s[3], s[1], s[2]];

/** The graph being written, with helpers for the nodes the rules use. */
export class Writer {
  /** The nodes and initializers written so far. */
  readonly g = new GraphBuilder();
  private count = 0;
  private readonly constants = new Map<string, string>();

  /** @param prefix - starts every name this writer makes, so that two graphs' names never meet. */
  constructor(private readonly prefix: string) {}

  /** A fresh name with `prefix`. */
  fresh(prefix: string): string {
    this.count++;
    return `${this.prefix}${prefix}#${this.count}`;
  }

  /** A node of one output, named `output` or a fresh name; returns the output's name. */
  op(opType: string, inputs: string[], attributes?: OnnxAttribute[], output?: string): string {
    const out = output ?? this.fresh(opType);
    this.g.node(this.fresh(`n:${opType}`), opType, inputs, out, attributes);
    return out;
  }

  /** A node with several outputs. */
  multi(opType: string, inputs: string[], outputs: string[], attributes?: OnnxAttribute[]): void {
    this.g.nodes.push({ name: this.fresh(`n:${opType}`), opType, inputs, outputs, attributes });
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds), one initializer per distinct value. */
  ints(values: number[]): string {
    const key = `${this.prefix}i:${values.join(',')}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.g.int64s(key, values);
      this.constants.set(key, name);
    }
    return name;
  }

  /** A float32 scalar constant, one initializer per distinct value. */
  scalar(value: number): string {
    const key = `${this.prefix}f:${value}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.g.floats(key, [], Float32Array.of(value));
      this.constants.set(key, name);
    }
    return name;
  }

  /** `[C]` as `[1, C, 1, 1]`, to broadcast over an NCHW tensor. */
  perChannel(v: string): string {
    return this.op('Reshape', [v, this.ints([1, -1, 1, 1])]);
  }

  /** The `[C]` sums of an NCHW tensor over the batch and space (a bias's or BatchNorm parameter's gradient). */
  channelSums(t: string, output?: string): string {
    return this.op('ReduceSum', [t, this.ints(NHW)], [{ name: 'keepdims', int: 0 }], output);
  }
}
