import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { axis, checkChannelsLast, type LayerCall, pair, sides, windowPads } from './layer-config';

const layer = tfl.layers.zeroPadding2d({ padding: 1, name: 'p' });
/** A call of layer `p` on a `[1, 4, 3, 5]` input, with `config`. */
const call = (config: LayerCall['config']): LayerCall => ({ layer, config, inputShapes: [[1, 4, 3, 5]] });

describe('layer config readers', () => {
  it('reads one number or two as [y, x], and names the layer and entry otherwise', () => {
    expect(pair(call({ strides: 2 }), 'strides')).toEqual([2, 2]);
    expect(pair(call({ strides: [1, 3] }), 'strides')).toEqual([1, 3]);
    expect(() => pair(call({ strides: [1, 2, 3] }), 'strides')).toThrow(
      /layer 'p' \(ZeroPadding2D\): config.strides must be a number or two/,
    );
  });

  it('reads [[top, bottom], [left, right]] in pixels and rejects negative ones', () => {
    expect(
      sides(
        call({
          padding: [
            [1, 2],
            [3, 4],
          ],
        }),
        'padding',
      ),
    ).toEqual({ top: 1, bottom: 2, left: 3, right: 4 });
    expect(() =>
      sides(
        call({
          padding: [
            [1, -2],
            [3, 4],
          ],
        }),
        'padding',
      ),
    ).toThrow(/config.padding must be/);
  });

  it('maps a tfjs NHWC axis to its NCHW axis', () => {
    expect([-1, 3, 0, 1, 2, -3].map((a) => axis(call({ axis: a })))).toEqual([1, 1, 0, 2, 3, 2]);
    expect(() => axis(call({ axis: 4 }))).toThrow(/config.axis must be an axis of a rank-4 tensor/);
  });

  it("writes TensorFlow's 'same' padding with the odd pixel at the end, none for 'valid'", () => {
    // 4 × 3 input, 3 × 3 kernel, stride 2: 2 × 2 outputs need 1 extra row (below) and 2 extra columns (1 each side)
    expect(windowPads(call({ padding: 'same' }), [3, 3], [2, 2])).toEqual([0, 1, 1, 1]);
    expect(windowPads(call({ padding: 'valid' }), [3, 3], [2, 2])).toEqual([0, 0, 0, 0]);
    // dilation 2 spans 5 pixels: stride 1 on 4 rows needs 4 extra, 2 above and 2 below
    expect(windowPads(call({ padding: 'same' }), [3, 1], [1, 1], [2, 1])).toEqual([2, 0, 2, 0]);
    expect(() => windowPads(call({ padding: 'causal' }), [3, 3], [1, 1])).toThrow(/padding must be/);
  });

  it('accepts channelsLast or no dataFormat, and nothing else', () => {
    expect(() => checkChannelsLast(call({}))).not.toThrow();
    expect(() => checkChannelsLast(call({ dataFormat: 'channelsFirst' }))).toThrow(
      /only dataFormat 'channelsLast'/,
    );
  });
});
