import { fail } from '../layer-config';
import type { LayerContext } from './layer-context';

/** A PixelShuffle layer as an ONNX `DepthToSpace` in CRD order. */
export function pixelShuffle(ctx: LayerContext): void {
  const scale = ctx.config.scale;
  if (!Number.isInteger(scale) || (scale as number) < 1) fail(ctx, `config.scale must be an integer ≥ 1`);
  // PixelShuffle reads input channel k·s² + i·s + j: ONNX's column-row-depth (CRD) order, PyTorch's
  ctx.graph.node(ctx.layer.name, 'DepthToSpace', [ctx.inputs[0]], ctx.output, [
    { name: 'blocksize', int: scale as number },
    { name: 'mode', string: 'CRD' },
  ]);
}
