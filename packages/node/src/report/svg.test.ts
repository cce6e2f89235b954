import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks, paddedDomain, scatterWithLine, stripPlot } from './svg';

const coords = (svg: string, attr: string) =>
  [...svg.matchAll(new RegExp(`${attr}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

describe('svg helpers', () => {
  it('niceTicks picks round steps of 1, 2 or 5 × 10^k inside the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 0.97)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(1, 10, 6)).toEqual([2, 4, 6, 8, 10]);
    expect(niceTicks(-3, 3, 3)).toEqual([-2, 0, 2]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it('paddedDomain covers the finite values, widening a constant', () => {
    expect(paddedDomain([0, 10])).toEqual([-0.5, 10.5]);
    expect(paddedDomain([3, Number.NaN, 3])).toEqual([2.5, 3.5]);
    expect(paddedDomain([])).toEqual([0, 1]);
  });

  it('lineChart maps points into the plot area (y up) and breaks lines at null', () => {
    const svg = lineChart({
      series: [
        {
          name: 'a',
          points: [
            [0, 0],
            [1, 1],
            [2, null],
            [3, 0.5],
            [4, 1],
          ],
        },
      ],
      xLabel: 'x',
      yLabel: 'y',
      yDomain: [0, 1],
      size: { width: 472, height: 300 },
    });
    // plot area: x 56…456, y 28 (top) … 256 (bottom)
    expect(svg).toContain('d="M56 256L156 28M356 142L456 28"');
    expect(svg.match(/<circle /g)?.length).toBe(4);
    expect(svg).not.toContain('xmlns');
  });

  it('scatterWithLine samples the curve across the x range, so a clamp shows as a bend', () => {
    const svg = scatterWithLine({
      points: [
        [0, 0],
        [10, 1],
      ],
      line: (x) => Math.min(0.5, x / 10),
      xLabel: 'w',
      yLabel: 's',
      xDomain: [0, 10],
      yDomain: [0, 1],
      size: { width: 472, height: 300 },
    });
    const d = svg.match(/<path d="([^"]+)"/)?.[1] ?? '';
    const ys = [...d.matchAll(/[ML][-\d.]+ ([-\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBe(65);
    expect(ys[0]).toBe(256);
    expect(ys.at(-1)).toBe(142); // clamped at 0.5
    expect(coords(svg, 'cy').slice(0, 2)).toEqual([256, 28]);
  });

  it('stripPlot puts each group in its own column with a median bar and n in the label', () => {
    const svg = stripPlot({
      groups: [
        { name: 'A', values: [0.2, 0.4, 0.9] },
        { name: 'B', values: [] },
        { name: 'C', values: [0.5, 0.7] },
      ],
      yLabel: 'Dice',
      yDomain: [0, 1],
      size: { width: 372, height: 300 },
    });
    expect(svg).toContain('>A (n=3)<');
    expect(svg).toContain('>B (n=0)<');
    // columns are 100 wide, centred at 106, 206, 306; dots stay within ±25 of the centre
    const cx = coords(svg, 'cx');
    expect(cx.slice(0, 3).every((x) => Math.abs(x - 106) <= 25)).toBe(true);
    expect(cx.slice(3).every((x) => Math.abs(x - 306) <= 25)).toBe(true);
    const medians = [...svg.matchAll(/class="median"[^>]*y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(medians).toEqual([256 - 0.4 * 228, 256 - 0.6 * 228].map((v) => Math.round(v * 10) / 10));
  });

  it('escapes labels', () => {
    const svg = lineChart({ series: [{ name: '<i>', points: [[0, 1]] }], xLabel: '&', yLabel: '"' });
    expect(svg).toContain('&lt;i&gt;');
    expect(svg).toContain('>&amp;<');
    expect(svg).not.toContain('<i>');
  });
});
