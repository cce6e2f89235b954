import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * PyTorch's `nn.PixelShuffle(scale)` on `[batch, h, w, c · scale²]` (channels last): out
 * `[batch, h · scale, w · scale, c]`, where output channel `k` at sub-pixel `(i, j)` is input channel
 * `k · scale² + i · scale + j` (PyTorch's order, so fastai decoder weights need no channel permutation).
 *
 * `tf.depthToSpace` uses TensorFlow's order instead (input channel `(i · scale + j) · c + k`) and has no
 * gradient in tfjs-core 4.22, so this layer is a reshape and a transpose, which have gradients on every backend.
 */
export class PixelShuffle extends tfl.layers.Layer {
  /** The name tfjs' serialization registry knows this layer by. */
  static readonly className = 'PixelShuffle';
  /** The upsampling factor (2 in fastai's U-Net). */
  readonly scale: number;

  /** @param args - `scale` (default 2) and the usual layer arguments (`name`). */
  constructor(args: { scale?: number; name?: string; trainable?: boolean } = {}) {
    super(args);
    this.scale = args.scale ?? 2;
  }

  /** `[b, h, w, c · s²]` → `[b, h · s, w · s, c]`; unknown sizes stay unknown. */
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const s = this.scale;
    return [b, h === null ? null : h * s, w === null ? null : w * s, c === null ? null : c / (s * s)];
  }

  /** Rearranges one `[b, h, w, c · s²]` tensor. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, h, w, cs] = x.shape;
      const s = this.scale;
      const c = cs / (s * s);
      const blocks = tf.transpose(tf.reshape(x, [b, h, w, c, s, s]), [0, 1, 4, 2, 5, 3]);
      return tf.reshape(blocks, [b, h * s, w * s, c]);
    });
  }

  /** The layer's config, with `scale`, for save and load. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}

/**
 * fastai's ICNR init for a 1×1 conv followed by {@link PixelShuffle}: a kaiming-normal `[1, 1, in, out / s²]`
 * kernel with each output channel repeated `s²` times in a row (PyTorch's channel order), so that at
 * initialization the shuffle equals a nearest-neighbour upsampling of a plain 1×1 conv (no checkerboard).
 * Returns the `[1, 1, in, out]` kernel; `seed` seeds the normal draw.
 */
export function icnrKernel(
  inChannels: number,
  outChannels: number,
  scale: number,
  seed: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const base = outChannels / (scale * scale);
    const stddev = Math.sqrt(2 / inChannels); // kaiming_normal_, fan_in of a 1×1 conv
    const kernel = tf.randomNormal([1, 1, inChannels, base, 1], 0, stddev, 'float32', seed);
    return tf.reshape(tf.tile(kernel, [1, 1, 1, 1, scale * scale]), [1, 1, inChannels, outChannels]);
  });
}

/**
 * Registers the package's custom layers ({@link PixelShuffle}) with tfjs' serialization registry, so that
 * `tf.loadLayersModel` can rebuild a saved U-Net. Idempotent; {@link buildUNet} calls it, and so must a
 * process that loads a saved U-Net without building one first.
 */
export function registerUNetLayers(): void {
  tf.serialization.registerClass(PixelShuffle);
}
