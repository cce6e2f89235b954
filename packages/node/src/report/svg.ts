import { escapeHtml } from './escape';

/** Series colours, colour-blind friendly (Okabe–Ito), used in order. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const MARGIN = { top: 28, right: 16, bottom: 44, left: 56 };

/** Size of a chart in SVG user units (it scales to its container's width). */
interface ChartSize {
  width?: number;
  height?: number;
}

/** A labelled position along an axis, in data units (or category index). */
interface Tick {
  at: number;
  label: string;
}

type Domain = readonly [number, number];

const num = (v: number): string => String(Math.round(v * 10) / 10);

/** Evenly spaced round ticks (steps of 1, 2 or 5 × 10^k) covering `[lo, hi]`. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  }
  return ticks;
}

/** The smallest domain covering the finite `values` with a little padding; a constant gets ±0.5. */
export function paddedDomain(values: readonly number[], pad = 0.05): Domain {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  return [lo - (hi - lo) * pad, hi + (hi - lo) * pad];
}

function tickLabels(values: readonly number[]): Tick[] {
  const step = values.length > 1 ? Math.abs(values[1] - values[0]) : 1;
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return values.map((at) => ({ at, label: at.toFixed(digits) }));
}

/** Maps data coordinates to SVG coordinates inside the plot area and draws the frame around a body. */
interface Plot {
  x(v: number): number;
  y(v: number): number;
  render(body: string): string;
}

/**
 * The shared frame of every chart: plot area, grid lines, ticks and axis titles, optional title and legend.
 */
function plot(options: {
  xDomain: Domain;
  yDomain: Domain;
  /** Default: round numeric ticks over `xDomain`. */
  xTicks?: Tick[];
  /** Default: round numeric ticks over `yDomain`. */
  yTicks?: Tick[];
  xLabel: string;
  yLabel: string;
  title?: string;
  legend?: { name: string; color: string; dot?: boolean }[];
  size?: ChartSize;
}): Plot {
  const { width = 480, height = 300 } = options.size ?? {};
  const [x0, x1] = options.xDomain;
  const [y0, y1] = options.yDomain;
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const x = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (right - left);
  const y = (v: number) => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);
  const label = escapeHtml;
  const xTicks = options.xTicks ?? tickLabels(niceTicks(x0, x1, 6));
  const yTicks = options.yTicks ?? tickLabels(niceTicks(y0, y1));
  const grid = [
    ...yTicks.map(
      (t) =>
        `<line class="grid" x1="${left}" x2="${right}" y1="${num(y(t.at))}" y2="${num(y(t.at))}"/>` +
        `<text class="tick" x="${left - 6}" y="${num(y(t.at))}" text-anchor="end" dominant-baseline="middle">${label(t.label)}</text>`,
    ),
    ...xTicks.map(
      (t) =>
        `<line class="tickmark" x1="${num(x(t.at))}" x2="${num(x(t.at))}" y1="${bottom}" y2="${bottom + 4}"/>` +
        `<text class="tick" x="${num(x(t.at))}" y="${bottom + 16}" text-anchor="middle">${label(t.label)}</text>`,
    ),
  ].join('');
  // one row above the plot area, right-aligned, so that it never hides data; text width is estimated
  // at 6.5 units per character of the 11-unit font
  let lx = right;
  const legend = [...(options.legend ?? [])]
    .reverse()
    .map((s) => {
      lx -= 30 + 6.5 * s.name.length;
      const ly = top - 10;
      return (
        (s.dot
          ? `<circle cx="${num(lx + 8)}" cy="${ly}" r="3.5" fill="${s.color}"/>`
          : `<line x1="${num(lx)}" x2="${num(lx + 16)}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"/>`) +
        `<text class="legend" x="${num(lx + 21)}" y="${ly}" dominant-baseline="middle">${label(s.name)}</text>`
      );
    })
    .join('');
  const titles =
    (options.title ? `<text class="title" x="${left}" y="${top - 10}">${label(options.title)}</text>` : '') +
    `<text class="axis-label" x="${(left + right) / 2}" y="${height - 6}" text-anchor="middle">${label(options.xLabel)}</text>` +
    `<text class="axis-label" transform="translate(14 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${label(options.yLabel)}</text>`;
  return {
    x,
    y,
    render: (body) =>
      `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label(options.title ?? options.yLabel)}">` +
      `${grid}<rect class="frame" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>` +
      `${body}${legend}${titles}</svg>`,
  };
}

/** Polyline path through the finite points, broken into separate runs at missing (null) values. */
function path(points: readonly (readonly [number, number | null])[], p: Plot): string {
  let d = '';
  let pen = false;
  for (const [vx, vy] of points) {
    if (vy === null || !Number.isFinite(vy) || !Number.isFinite(vx)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(p.x(vx))} ${num(p.y(vy))}`;
    pen = true;
  }
  return d;
}

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Legend entry. */
  name: string;
  /** `[x, y]` points in x order; a null y leaves a gap. */
  points: readonly (readonly [number, number | null])[];
}

/**
 * A line chart of one or more series as an inline SVG string (no xmlns, for embedding in HTML).
 * Single-point series show as a dot. All text is escaped.
 */
export function lineChart(options: {
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  title?: string;
  yDomain?: Domain;
  size?: ChartSize;
}): string {
  const xs = options.series.flatMap((s) => s.points.map(([x]) => x));
  const ys = options.series.flatMap((s) => s.points.map(([, y]) => y ?? Number.NaN));
  const xDomain = paddedDomain(xs, 0);
  const yDomain = options.yDomain ?? paddedDomain(ys);
  const p = plot({
    ...options,
    xDomain,
    yDomain,
    legend: options.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] })),
  });
  const body = options.series
    .map((s, i) => {
      const color = PALETTE[i % PALETTE.length];
      const dots = s.points
        .filter(([x, y]) => y !== null && Number.isFinite(y) && Number.isFinite(x))
        .map(([x, y]) => `<circle cx="${num(p.x(x))}" cy="${num(p.y(y as number))}" r="2" fill="${color}"/>`)
        .join('');
      return `<path d="${path(s.points, p)}" fill="none" stroke="${color}" stroke-width="2"/>${dots}`;
    })
    .join('');
  return p.render(body);
}

/**
 * A scatter plot of `points` with an optional curve `line(x)` drawn across the x range, as inline SVG.
 * The curve is sampled at 64 steps, so clamped (piecewise linear) models draw correctly.
 */
export function scatterWithLine(options: {
  points: readonly (readonly [number, number])[];
  line?: (x: number) => number;
  lineName?: string;
  pointName?: string;
  xLabel: string;
  yLabel: string;
  title?: string;
  xDomain?: Domain;
  yDomain?: Domain;
  size?: ChartSize;
}): string {
  const xDomain = options.xDomain ?? paddedDomain(options.points.map(([x]) => x));
  const samples: [number, number][] = options.line
    ? Array.from({ length: 65 }, (_, i) => {
        const x = xDomain[0] + ((xDomain[1] - xDomain[0]) * i) / 64;
        return [x, (options.line as (x: number) => number)(x)];
      })
    : [];
  const yDomain =
    options.yDomain ?? paddedDomain([...options.points.map(([, y]) => y), ...samples.map(([, y]) => y)], 0.1);
  const p = plot({
    ...options,
    xDomain,
    yDomain,
    legend: [
      ...(options.pointName ? [{ name: options.pointName, color: PALETTE[0], dot: true }] : []),
      ...(options.lineName && options.line ? [{ name: options.lineName, color: PALETTE[1] }] : []),
    ],
  });
  const dots = options.points
    .map(
      ([x, y]) =>
        `<circle cx="${num(p.x(x))}" cy="${num(p.y(y))}" r="3.5" fill="${PALETTE[0]}" fill-opacity="0.55"/>`,
    )
    .join('');
  const curve = samples.length
    ? `<path d="${path(samples, p)}" fill="none" stroke="${PALETTE[1]}" stroke-width="2.5"/>`
    : '';
  return p.render(dots + curve);
}

/** Deterministic jitter in [-0.5, 0.5): the fractional parts of multiples of the golden ratio. */
const jitter = (i: number): number => ((i * 0.6180339887498949) % 1) - 0.5;

/**
 * A strip plot: the values of each group as jittered dots in their own column, with the median as a bar
 * and `n` under the group's name, as inline SVG.
 */
export function stripPlot(options: {
  groups: readonly { name: string; values: readonly number[] }[];
  yLabel: string;
  xLabel?: string;
  title?: string;
  yDomain?: Domain;
  size?: ChartSize;
}): string {
  const groups = options.groups;
  const yDomain = options.yDomain ?? paddedDomain(groups.flatMap((g) => g.values));
  const p = plot({
    ...options,
    xLabel: options.xLabel ?? '',
    xDomain: [-0.5, Math.max(groups.length, 1) - 0.5],
    yDomain,
    xTicks: groups.map((g, i) => ({ at: i, label: `${g.name} (n=${g.values.length})` })),
  });
  const band = p.x(1) - p.x(0);
  const body = groups
    .map((g, i) => {
      const color = PALETTE[i % PALETTE.length];
      const finite = g.values.filter(Number.isFinite);
      const dots = finite
        .map(
          (v, j) =>
            `<circle cx="${num(p.x(i) + jitter(j) * band * 0.5)}" cy="${num(p.y(v))}" r="3" fill="${color}" fill-opacity="0.6"/>`,
        )
        .join('');
      const sorted = [...finite].sort((a, b) => a - b);
      const mid = sorted.length / 2;
      const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
      const bar = sorted.length
        ? `<line class="median" x1="${num(p.x(i) - band * 0.35)}" x2="${num(p.x(i) + band * 0.35)}" y1="${num(p.y(median))}" y2="${num(p.y(median))}"/>`
        : '';
      return dots + bar;
    })
    .join('');
  return p.render(body);
}
