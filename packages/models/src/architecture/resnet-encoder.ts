import * as tfl from '@tensorflow/tfjs-layers';
import { checkInputShape, checkSeed, checkWidthMultiplier } from './checks';
import { ModelConfigError } from './errors';
import { SeededInitializers } from './initializers';
import { channels, fan, relu, torchBatchNorm, torchConv2d } from './torch-layers';

type Symbolic = tfl.SymbolicTensor;

/** The ResNet depths with BasicBlocks (torchvision's `resnet18`, `resnet34`). */
export type ResNetDepth = 18 | 34;

/** Options of {@link buildResNetEncoder}. */
export interface ResNetEncoderOptions {
  /** 18 or 34 (BasicBlocks `[2, 2, 2, 2]` or `[3, 4, 6, 3]`). */
  depth: ResNetDepth;
  /** `[height, width, channels]` of one input image, in pixels; any size ≥ 1. */
  inputShape: [number, number, number];
  /** Scales every width (64, 128, 256, 512 channels); default 1 (torchvision's, needed for pretrained weights). */
  widthMultiplier?: number;
  /** Seed of every initializer; default 0. */
  seed?: number;
}

const BLOCKS: Record<ResNetDepth, readonly number[]> = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3] };
const BASE_WIDTHS = [64, 128, 256, 512];

/** torchvision's `BasicBlock`: conv3×3-bn-relu-conv3×3-bn, plus the (downsampled) input, then relu. */
function basicBlock(
  x: Symbolic,
  name: string,
  planes: number,
  stride: number,
  init: SeededInitializers,
): Symbolic {
  const conv3x3 = (input: Symbolic, convName: string, s: number) =>
    torchConv2d(input, {
      name: convName,
      filters: planes,
      kernel: 3,
      stride: s,
      padding: 1,
      kernelInitializer: init.kaimingNormal(fan(3, planes)), // torchvision: mode='fan_out'
    });
  let out = relu(torchBatchNorm(conv3x3(x, `${name}.conv1`, stride), `${name}.bn1`), `${name}.relu`);
  out = torchBatchNorm(conv3x3(out, `${name}.conv2`, 1), `${name}.bn2`);
  let identity = x;
  if (stride !== 1 || channels(x) !== planes) {
    identity = torchConv2d(x, {
      name: `${name}.downsample.0`,
      filters: planes,
      kernel: 1,
      stride,
      kernelInitializer: init.kaimingNormal(fan(1, planes)),
    });
    identity = torchBatchNorm(identity, `${name}.downsample.1`);
  }
  const sum = tfl.layers.add({ name: `${name}.add` }).apply([out, identity]) as Symbolic;
  return relu(sum, name);
}

/**
 * torchvision's ResNet trunk on `input`, layer for layer and with torchvision's module paths as layer names;
 * returns the five maps a U-Net taps: the stem after ReLU (stride 2) and the outputs of layer1…layer4
 * (strides 4, 8, 16, 32). Sizes follow PyTorch: `⌊(n + 2p − k) / s⌋ + 1` at every conv and pool.
 */
export function resnetFeatures(
  input: Symbolic,
  depth: ResNetDepth,
  widthMultiplier: number,
  init: SeededInitializers,
): Symbolic[] {
  const widths = BASE_WIDTHS.map((c) => Math.max(1, Math.round(c * widthMultiplier)));
  const stem = relu(
    torchBatchNorm(
      torchConv2d(input, {
        name: 'conv1',
        filters: widths[0],
        kernel: 7,
        stride: 2,
        padding: 3,
        kernelInitializer: init.kaimingNormal(fan(7, widths[0])),
      }),
      'bn1',
    ),
    'relu',
  );
  // PyTorch's MaxPool2d(3, 2, padding=1) pads with -inf. Zero padding gives the same maxima only because
  // its input comes out of a ReLU (every window holds a real value ≥ 0).
  const padded = tfl.layers.zeroPadding2d({ padding: 1, name: 'maxpool.pad' }).apply(stem) as Symbolic;
  let x = tfl.layers
    .maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' })
    .apply(padded) as Symbolic;
  const features = [stem];
  BLOCKS[depth].forEach((count, stage) => {
    for (let b = 0; b < count; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      x = basicBlock(x, `layer${stage + 1}.${b}`, widths[stage], stride, init);
    }
    features.push(x);
  });
  return features;
}

/**
 * A ResNet-18/34 encoder whose five outputs are the maps a U-Net taps, each `[batch, h, w, c]`:
 * the stem after ReLU (`h/2`, 64 channels), layer1 (`h/4`, 64), layer2 (`h/8`, 128), layer3 (`h/16`, 256) and
 * layer4 (`h/32`, 512), sizes rounded as PyTorch does (`⌊(n − 1) / 2⌋ + 1` per stride-2 step) and channels times
 * `widthMultiplier`.
 *
 * Layers are named after torchvision's module paths (`conv1`, `bn1`, `layer1.0.conv1`, `layer2.0.downsample.0`,
 * `layer2.0.downsample.1`…), so a torchvision or timm state dict maps onto it one to one
 * ({@link loadResNetWeights}); helper layers add a suffix (`conv1.pad`, `layer1.0.add`) and a block's output
 * ReLU carries the block's name (`layer1.0`). Weights start as torchvision's: kaiming-normal convs
 * (fan_out, ReLU gain), BatchNorm γ = 1, β = 0, eps 1e-5, momentum 0.1 (tfjs `momentum` 0.9).
 *
 * @throws {@link ModelConfigError} for a depth other than 18 or 34, a bad `inputShape`, `widthMultiplier` or `seed`.
 */
export function buildResNetEncoder(options: ResNetEncoderOptions): tfl.LayersModel {
  const what = 'buildResNetEncoder';
  const depth = checkDepth(what, options?.depth);
  const inputShape = checkInputShape(what, options.inputShape);
  const widthMultiplier = checkWidthMultiplier(what, options.widthMultiplier);
  const input = tfl.input({ shape: inputShape, name: 'input' });
  const outputs = resnetFeatures(
    input,
    depth,
    widthMultiplier,
    new SeededInitializers(checkSeed(what, options.seed)),
  );
  return tfl.model({ inputs: input, outputs, name: `resnet${depth}` });
}

function checkDepth(what: string, depth: unknown): ResNetDepth {
  if (depth !== 18 && depth !== 34) {
    throw new ModelConfigError(`${what}: depth must be 18 or 34, got ${String(depth)}`);
  }
  return depth;
}
