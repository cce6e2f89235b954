import { axis } from '../layer-config';
import type { LayerContext } from './layer-context';

/** A Concatenate layer, with zero channels after the last input's own where the context asks for them. */
export function concatenate(ctx: LayerContext): void {
  const inputs = [...ctx.inputs];
  const own = ctx.inputShapes.reduce((sum, s) => sum + s[3], 0);
  const extra = (ctx.outputChannels ?? own) - own;
  if (extra > 0) {
    // zero channels after the last input's own (only channel concatenations are padded)
    const name = `${ctx.layer.name}:zeros`;
    const pads = ctx.graph.int64s(`${name}.pads`, [0, 0, 0, 0, 0, extra, 0, 0]);
    inputs[inputs.length - 1] = ctx.graph.node(name, 'Pad', [inputs[inputs.length - 1], pads], name);
  }
  ctx.graph.node(ctx.layer.name, 'Concat', inputs, ctx.output, [{ name: 'axis', int: axis(ctx) }]);
}
