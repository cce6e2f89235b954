// Readers of a tfjs layer's serialized config, shared by the inference converters and the training rules: each
// checks its entry and throws an OnnxExportError naming the layer.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';

type Layer = tfl.layers.Layer;

/** Zero padding of a 2D map, in pixels: `[top, left, bottom, right]` (ONNX `Conv`'s `pads` order). */
export type Pads = [number, number, number, number];

/** A layer with its serialized config: what the config readers read. */
export interface ConfiguredLayer {
  layer: Layer;
  config: tf.serialization.ConfigDict;
}

/** A layer's single call: its config and its inputs' tfjs shapes. */
export interface LayerCall extends ConfiguredLayer {
  /** `[batch, h, w, c]` of each input (tfjs' order); `h`, `w`, `c` are known. */
  inputShapes: readonly (readonly number[])[];
}

/** The ONNX axis of a tfjs (NHWC) axis of a rank-4 tensor. */
const NCHW_AXIS = [0, 2, 3, 1];

/** Throws an {@link OnnxExportError} naming the layer and its class. */
export function fail(ctx: { layer: Layer }, message: string): never {
  throw new OnnxExportError(message, { name: ctx.layer.name, className: ctx.layer.getClassName() });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A config entry that is one number or two (`kernelSize`, `strides`, `size`), as `[y, x]`. */
export function pair(ctx: ConfiguredLayer, key: string): [number, number] {
  const v = ctx.config[key];
  if (isNumber(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(isNumber)) return [v[0], v[1]];
  return fail(ctx, `config.${key} must be a number or two, got ${JSON.stringify(v)}`);
}

/** A `[[top, bottom], [left, right]]` config entry (ZeroPadding2D's `padding`, Cropping2D's `cropping`), in pixels. */
export function sides(
  ctx: ConfiguredLayer,
  key: string,
): { top: number; bottom: number; left: number; right: number } {
  const v = ctx.config[key];
  const ok = Array.isArray(v) && v.length === 2 && v.every((p) => Array.isArray(p) && p.length === 2);
  const flat = ok ? (v as number[][]).flat() : [];
  if (!flat.every((n) => Number.isInteger(n) && n >= 0) || flat.length !== 4) {
    return fail(ctx, `config.${key} must be [[top, bottom], [left, right]], got ${JSON.stringify(v)}`);
  }
  return { top: flat[0], bottom: flat[1], left: flat[2], right: flat[3] };
}

/** The ONNX axis of the layer's `axis` config (a tfjs axis of a rank-4 tensor, negative from the end). */
export function axis(ctx: ConfiguredLayer): number {
  const a = ctx.config.axis;
  if (!Number.isInteger(a) || (a as number) < -4 || (a as number) > 3) {
    return fail(ctx, `config.axis must be an axis of a rank-4 tensor, got ${JSON.stringify(a)}`);
  }
  return NCHW_AXIS[((a as number) + 4) % 4];
}

/** Throws unless the layer's `dataFormat` is tfjs' default, `channelsLast`. */
export function checkChannelsLast(ctx: ConfiguredLayer): void {
  const format = ctx.config.dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    fail(ctx, `only dataFormat 'channelsLast' is supported, got '${String(format)}'`);
  }
}

/** TensorFlow's `same` padding along one axis of size `n`: the odd extra pixel goes at the end. */
function samePadding(n: number, kernel: number, stride: number, dilation: number): [number, number] {
  const total = Math.max((Math.ceil(n / stride) - 1) * stride + (kernel - 1) * dilation + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** `valid` (no padding) or TensorFlow's `same` padding of a window op over the first input, as ONNX `pads`. */
export function windowPads(
  ctx: LayerCall,
  kernel: [number, number],
  stride: [number, number],
  dilation = [1, 1],
): Pads {
  const padding = ctx.config.padding;
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') return fail(ctx, `padding must be 'valid' or 'same', got '${String(padding)}'`);
  const [, h, w] = ctx.inputShapes[0];
  const [top, bottom] = samePadding(h, kernel[0], stride[0], dilation[0]);
  const [left, right] = samePadding(w, kernel[1], stride[1], dilation[1]);
  return [top, left, bottom, right];
}
