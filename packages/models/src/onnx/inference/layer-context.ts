import type * as tfl from '@tensorflow/tfjs-layers';
import type { GraphBuilder } from '../graph-builder';
import type { LayerCall, Pads } from '../layer-config';

/**
 * What an inference converter gets: the layer, its inputs' ONNX names and tfjs shapes, the name of its output.
 * Tensors inside the graph are NCHW; the shapes are the tfjs (NHWC) shapes of the layer's inputs, static but for
 * the batch.
 */
export interface LayerContext extends LayerCall {
  /** The graph's (NCHW) names of the layer's inputs. */
  inputs: readonly string[];
  /** The name the layer's output is to have in the graph. */
  output: string;
  /** The graph being written. */
  graph: GraphBuilder;
  /** Conv2D only: a ZeroPadding2D before it, folded into its `pads`. */
  fusedPads?: Pads;
  /** Conv2D only: a BatchNormalization after it, folded into its weight and bias. */
  fusedBatchNorm?: tfl.layers.Layer;
  /**
   * Conv2D and Concatenate: the output is to hold this many channels, the layer's own followed by zeros (see
   * `convertModel`'s channel padding); a Conv2D's input may hold such zero channels too ({@link inputChannels}).
   */
  outputChannels?: number;
  /** Conv2D: the channels its input holds in the graph, when zero channels follow the layer's own. */
  inputChannels?: number;
}
