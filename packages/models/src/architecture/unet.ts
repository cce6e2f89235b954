import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInputShape, checkSeed, checkWidthMultiplier } from './checks';
import { ModelConfigError } from './errors';
import { SeededInitializers } from './initializers';
import { icnrKernel, PixelShuffle, registerUNetLayers } from './pixel-shuffle';
import { resnetFeatures } from './resnet-encoder';
import { channels, fan, relu, torchBatchNorm, torchConv2d } from './torch-layers';

type Symbolic = tfl.SymbolicTensor;

/** Decoder choices of {@link buildUNet}. */
export interface UNetDecoderOptions {
  /**
   * How each decoder block doubles the size: `'pixelshuffle'` (default, fastai's `PixelShuffle_ICNR`: a 1×1 conv
   * to 4× the channels, ReLU, {@link PixelShuffle}, ICNR init) or `'nearest'` (a 1×1 conv and ReLU, then a
   * nearest-neighbour ×2 upsampling: what ICNR starts from, with a quarter of the conv's weights).
   */
  upsample?: 'pixelshuffle' | 'nearest';
  /** fastai's `last_cross` (default true): concatenate the input image and run a residual block before the head. */
  lastCross?: boolean;
  /** fastai's `self_attention` is not implemented. */
  selfAttention?: never;
}

/** Options of {@link buildUNet}. */
export interface UNetOptions {
  /** The ResNet encoder, with torchvision's layer names. */
  encoder: 'resnet34' | 'resnet18';
  /** `[height, width, channels]` of one input image, in pixels; any size (250×250, 60×60, 37×53…). */
  inputShape: [number, number, number];
  /** Output classes (≥ 2, background included): the softmax's depth. */
  numClasses: number;
  /** Scales every width, encoder and decoder; default 1 (the only width pretrained weights fit). */
  widthMultiplier?: number;
  /** Decoder choices; defaults are fastai's. */
  decoder?: UNetDecoderOptions;
  /** Seed of every initializer; default 0. */
  seed?: number;
}

/** Builds the layers of one U-Net; records the ICNR convs to initialize once the model exists. */
class DecoderBuilder {
  readonly icnrConvs: { name: string; inChannels: number; outChannels: number; seed: number }[] = [];

  constructor(
    private readonly init: SeededInitializers,
    private readonly upsampleMode: 'pixelshuffle' | 'nearest',
  ) {}

  /** fastai's `ConvLayer(ni, nf, norm_type=None)`: a conv with bias, then ReLU; kaiming-normal (fan_in), bias 0. */
  convRelu(x: Symbolic, name: string, filters: number, kernel = 3): Symbolic {
    return torchConv2d(x, {
      name,
      filters,
      kernel,
      padding: (kernel - 1) / 2,
      kernelInitializer: this.init.kaimingNormal(fan(kernel, channels(x))),
      biasInitializer: tfl.initializers.zeros(),
      activation: 'relu',
    });
  }

  /** Doubles the height and width of `x`, giving `filters` channels (`<name>.conv`, then `<name>`). */
  upsample(x: Symbolic, name: string, filters: number): Symbolic {
    if (this.upsampleMode === 'nearest') {
      const conv = this.convRelu(x, `${name}.conv`, filters, 1);
      return tfl.layers
        .upSampling2d({ size: [2, 2], interpolation: 'nearest', name })
        .apply(conv) as Symbolic;
    }
    const conv = torchConv2d(x, {
      name: `${name}.conv`,
      filters: filters * 4,
      kernel: 1,
      kernelInitializer: tfl.initializers.zeros(), // replaced by ICNR once the model is built
      biasInitializer: tfl.initializers.zeros(),
      activation: 'relu',
    });
    this.icnrConvs.push({
      name: `${name}.conv`,
      inChannels: channels(x),
      outChannels: filters * 4,
      seed: this.init.rawSeed(),
    });
    return new PixelShuffle({ scale: 2, name }).apply(conv) as Symbolic;
  }
}

/**
 * Crops the trailing row / column that a ×2 upsampling adds over `ref`'s size: fastai's
 * `F.interpolate(x, size, mode='nearest')`, exactly. Every upsampled map here is `2·⌈n/2⌉ ∈ {n, n + 1}` rows
 * for a skip of `n` rows (each stride-2 step of the encoder gives `⌈n/2⌉`), and nearest resizing `n + 1 → n`
 * reads source row `⌊i·(n + 1)/n⌋ = i` for every `i < n`: it drops the last row. A crop is a built-in layer
 * with a gradient on every backend, which a resize-to-another-tensor layer would not be.
 */
function cropTo(x: Symbolic, ref: Symbolic, name: string): Symbolic {
  const dh = (x.shape[1] as number) - (ref.shape[1] as number);
  const dw = (x.shape[2] as number) - (ref.shape[2] as number);
  if (dh === 0 && dw === 0) return x;
  return tfl.layers
    .cropping2D({
      cropping: [
        [0, dh],
        [0, dw],
      ],
      name,
    })
    .apply(x) as Symbolic;
}

/**
 * A U-Net with a ResNet-18/34 encoder, as fastai's `unet_learner(arch)` builds it (`DynamicUnet`, fastai 2):
 * input `[batch, h, w, c]` → softmax `[batch, h, w, numClasses]` for any `h, w`.
 *
 * Layers, from the input: the torchvision ResNet trunk ({@link buildResNetEncoder}'s names); `decoder.bn` +
 * `decoder.relu` on layer4; `decoder.middle.0/1` (3×3 convs to 2× and back); four blocks `decoder.blocks.0…3`
 * on the skips layer3, layer2, layer1 and the stem, each upsampling (`shuf`), cropping to the skip's size where it
 * is one larger (`crop`, see below), BatchNorm on the skip (`bn`), concatenation + ReLU and two 3×3 conv+ReLU
 * (`conv1`, `conv2`; the last block halves the width); `decoder.shuf` back to full size, `decoder.resize`;
 * with `lastCross`, the input concatenated (`decoder.cross.cat`) and a residual block (`decoder.cross.conv1/2`);
 * `head.conv` (1×1 to the logits) and `head.softmax`. Decoder convs have biases and no BatchNorm (fastai's
 * `norm_type=None`).
 *
 * Sizes that are not multiples of 32 (250, 60, 37×53): the encoder rounds up at each stride-2 step, so an
 * upsampled map is one row or column larger than its skip at most; fastai resizes it to the skip's size with
 * nearest interpolation, which for one extra row is exactly dropping the last one, so this model crops
 * (a built-in `cropping2D`, serializable and differentiable on every backend).
 *
 * Initialization follows fastai: kaiming-normal decoder convs, ICNR for the pixel-shuffle convs, BatchNorm
 * β = 1e-3, the head as PyTorch's default conv with bias std 0.01, all seeded from `seed`.
 *
 * @throws {@link ModelConfigError} for an unknown encoder, a bad `inputShape`, `numClasses` < 2 or not an integer,
 *   a bad `widthMultiplier`, `seed` or decoder option.
 */
export function buildUNet(options: UNetOptions): tfl.LayersModel {
  const what = 'buildUNet';
  const encoder = options?.encoder;
  if (encoder !== 'resnet34' && encoder !== 'resnet18') {
    throw new ModelConfigError(`${what}: encoder must be 'resnet34' or 'resnet18', got ${String(encoder)}`);
  }
  const inputShape = checkInputShape(what, options.inputShape);
  const { numClasses } = options;
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new ModelConfigError(`${what}: numClasses must be an integer ≥ 2, got ${String(numClasses)}`);
  }
  const widthMultiplier = checkWidthMultiplier(what, options.widthMultiplier);
  const seed = checkSeed(what, options.seed);
  const upsampleMode = options.decoder?.upsample ?? 'pixelshuffle';
  if (upsampleMode !== 'pixelshuffle' && upsampleMode !== 'nearest') {
    throw new ModelConfigError(
      `${what}: decoder.upsample must be 'pixelshuffle' or 'nearest', got ${upsampleMode}`,
    );
  }
  if (options.decoder?.selfAttention !== undefined) {
    throw new ModelConfigError(`${what}: decoder.selfAttention is not supported`);
  }
  const lastCross = options.decoder?.lastCross ?? true;

  registerUNetLayers();
  const init = new SeededInitializers(seed);
  const input = tfl.input({ shape: inputShape, name: 'input' });
  const features = resnetFeatures(input, encoder === 'resnet34' ? 34 : 18, widthMultiplier, init);
  const d = new DecoderBuilder(init, upsampleMode);

  const bottom = features[4];
  let x = relu(torchBatchNorm(bottom, 'decoder.bn', 1e-3), 'decoder.relu');
  x = d.convRelu(x, 'decoder.middle.0', channels(bottom) * 2);
  x = d.convRelu(x, 'decoder.middle.1', channels(bottom));
  const skips = [features[3], features[2], features[1], features[0]];
  skips.forEach((skip, i) => {
    const name = `decoder.blocks.${i}`;
    const upChannels = Math.floor(channels(x) / 2);
    const up = cropTo(d.upsample(x, `${name}.shuf`, upChannels), skip, `${name}.crop`);
    const cat = tfl.layers
      .concatenate({ axis: -1, name: `${name}.cat` })
      .apply([up, torchBatchNorm(skip, `${name}.bn`, 1e-3)]) as Symbolic;
    const ni = upChannels + channels(skip);
    const nf = i < skips.length - 1 ? ni : Math.floor(ni / 2);
    x = d.convRelu(relu(cat, `${name}.relu`), `${name}.conv1`, nf);
    x = d.convRelu(x, `${name}.conv2`, nf);
  });
  // fastai adds this last upsampling when the stem's output size differs from the input's (any input > 1×1).
  if (x.shape[1] !== inputShape[0] || x.shape[2] !== inputShape[1]) {
    x = cropTo(d.upsample(x, 'decoder.shuf', channels(x)), input, 'decoder.resize');
  }
  if (lastCross) {
    const cat = tfl.layers.concatenate({ axis: -1, name: 'decoder.cross.cat' }).apply([x, input]) as Symbolic;
    const n = channels(cat);
    const inner = d.convRelu(cat, 'decoder.cross.conv1', n);
    const outer = torchConv2d(inner, {
      name: 'decoder.cross.conv2',
      filters: n,
      kernel: 3,
      padding: 1,
      kernelInitializer: init.kaimingNormal(fan(3, n)),
      biasInitializer: tfl.initializers.zeros(),
    });
    x = relu(tfl.layers.add({ name: 'decoder.cross.add' }).apply([outer, cat]) as Symbolic, 'decoder.cross');
  }
  const logits = torchConv2d(x, {
    name: 'head.conv',
    filters: numClasses,
    kernel: 1,
    kernelInitializer: init.torchDefaultUniform(fan(1, channels(x))),
    biasInitializer: init.normal(0.01),
  });
  const output = tfl.layers.softmax({ axis: -1, name: 'head.softmax' }).apply(logits) as Symbolic;
  const model = tfl.model({ inputs: input, outputs: output, name: `unet_${encoder}` });

  tf.tidy(() => {
    for (const c of d.icnrConvs) {
      const layer = model.getLayer(c.name);
      const bias = layer.getWeights()[1];
      layer.setWeights([icnrKernel(c.inChannels, c.outChannels, 2, c.seed), bias]);
    }
  });
  return model;
}
