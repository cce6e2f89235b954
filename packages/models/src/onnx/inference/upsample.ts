import { checkChannelsLast, fail, pair } from '../layer-config';
import type { LayerContext } from './layer-context';

/** An UpSampling2D layer (nearest only) as an ONNX `Resize`. */
export function upSampling2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  if (ctx.config.interpolation !== 'nearest') {
    fail(ctx, `only 'nearest' interpolation is supported, got '${String(ctx.config.interpolation)}'`);
  }
  const [sy, sx] = pair(ctx, 'size');
  const scales = ctx.graph.floats(`${ctx.layer.name}.scales`, [4], Float32Array.of(1, 1, sy, sx));
  // tfjs' nearest upsampling reads source pixel ⌊i / s⌋: ONNX's asymmetric coordinates, rounded down
  ctx.graph.node(ctx.layer.name, 'Resize', [ctx.inputs[0], '', scales], ctx.output, [
    { name: 'mode', string: 'nearest' },
    { name: 'coordinate_transformation_mode', string: 'asymmetric' },
    { name: 'nearest_mode', string: 'floor' },
  ]);
}
