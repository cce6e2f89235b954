import type { LayerContext } from './layer-context';

/** An Add layer as a chain of binary ONNX `Add`s, the last one named after the layer. */
export function add(ctx: LayerContext): void {
  const [first, ...rest] = ctx.inputs;
  const name = ctx.layer.name;
  rest.reduce((sum, x, i) => {
    const last = i === rest.length - 1;
    return ctx.graph.node(last ? name : `${name}:${i}`, 'Add', [sum, x], last ? ctx.output : `${name}:${i}`);
  }, first);
}
