import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-proto';

/** Collects the nodes and initializers of one ONNX graph, in the order they are added (a topological order). */
export class GraphBuilder {
  /** The nodes so far. */
  readonly nodes: OnnxNode[] = [];
  /** The initializers (weights and constant inputs) so far. */
  readonly initializers: OnnxTensor[] = [];

  /** Adds a node; returns its first output's name. */
  node(
    name: string,
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes?: readonly OnnxAttribute[],
  ): string {
    this.nodes.push({ name, opType, inputs, outputs: [output], attributes });
    return output;
  }

  /** Adds a float32 initializer; returns its name. */
  floats(name: string, dims: readonly number[], data: Float32Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** Adds a 1-D int64 initializer (pads, slice bounds); returns its name. */
  int64s(name: string, values: readonly number[]): string {
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values, BigInt) });
    return name;
  }
}
