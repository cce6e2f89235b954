// The bench's results: one record per cell (the `--json` output) and the text table.
import { gflops, NOISY_SPREAD, ratio, round, spread } from './stats.mjs';

/** `'infer 64x16'`, `'train 256x4'`. */
export const cellName = (kind, size, batch) => `${kind} ${size}x${batch}`;

/**
 * The record of one cell. `paths` are our measurements (`{ path, ms, runs, threads, default?, error? }`, `ms` null
 * when the path failed); `pytorch` is `{ ms, runs, threads }` or null; `flops` the cell's FLOPs (null if unknown);
 * `peak` the machine's matmul GFLOP/s (or null). `ours_ms` and `ratio` are the default path's (the one marked
 * `default`, else the fastest): its median and median / PyTorch's median; `ratio_min` the same of the fastest runs.
 * `noisy` is true when its runs or PyTorch's spread more than {@link NOISY_SPREAD} of their median.
 */
export function cellRecord({ name, paths, pytorch = null, flops = null, peak = null }) {
  const ok = paths.filter((p) => p.ms != null);
  const best = ok.find((p) => p.default) ?? ok.reduce((a, b) => (b.ms < a.ms ? b : a), ok[0] ?? null);
  const rate = (ms) => round(gflops(flops, ms));
  const share = (ms) => (peak ? round(gflops(flops, ms) / peak) : null);
  const minOf = (runs) => (runs?.length ? Math.min(...runs) : null);
  const spreads = [best?.runs, pytorch?.runs].map((runs) => spread(runs ?? []));
  return {
    name,
    ours_ms: best ? round(best.ms, 4) : null,
    ours_path: best ? best.path : null,
    pytorch_ms: pytorch?.ms == null ? null : round(pytorch.ms, 4),
    ratio: round(ratio(best?.ms, pytorch?.ms)),
    ours_min_ms: round(minOf(best?.runs), 4),
    pytorch_min_ms: round(minOf(pytorch?.runs), 4),
    ratio_min: round(ratio(minOf(best?.runs), minOf(pytorch?.runs))),
    noisy: spreads.some((s) => s != null && s > NOISY_SPREAD),
    gflop: flops == null ? null : round(flops / 1e9),
    paths: paths.map((p) => ({
      path: p.path,
      threads: p.threads,
      ms: p.ms == null ? null : round(p.ms, 4),
      min_ms: round(minOf(p.runs), 4),
      spread: round(spread(p.runs ?? []), 2),
      runs_ms: p.runs?.map((r) => round(r, 4)) ?? [],
      gflops: rate(p.ms),
      peak_fraction: share(p.ms),
      ratio: round(ratio(p.ms, pytorch?.ms)),
      ...(p.error ? { error: p.error } : {}),
    })),
    pytorch:
      pytorch == null
        ? null
        : {
            threads: pytorch.threads,
            ms: round(pytorch.ms, 4),
            min_ms: round(minOf(pytorch.runs), 4),
            spread: round(spread(pytorch.runs), 2),
            runs_ms: pytorch.runs.map((r) => round(r, 4)),
            gflops: rate(pytorch.ms),
            peak_fraction: share(pytorch.ms),
          },
  };
}

const fixed = (v, digits = 0) => (v == null ? '—' : v.toFixed(digits));
const percent = (v) => (v == null ? '—' : `${(100 * v).toFixed(0)}%`);

/**
 * The rows of the text table for cell records: one row per path, PyTorch last, ratios ours / PyTorch (of medians);
 * a spread above {@link NOISY_SPREAD} is marked `!`.
 */
export function tableRows(records) {
  const rows = [
    ['cell', 'path', 'threads', 'min ms', 'median ms', 'spread', 'runs ms', 'GFLOP/s', '% peak', '/ PyTorch'],
  ];
  for (const r of records) {
    const all = [...r.paths];
    if (r.pytorch) all.push({ path: 'PyTorch', ...r.pytorch, ratio: 1 });
    all.forEach((p, i) => {
      rows.push([
        i === 0 ? r.name : '',
        p.path,
        String(p.threads ?? '—'),
        fixed(p.min_ms),
        p.ms == null ? (p.error ?? 'failed') : fixed(p.ms),
        p.spread == null ? '—' : `${percent(p.spread)}${p.spread > NOISY_SPREAD ? ' !' : ''}`,
        (p.runs_ms ?? []).map((x) => fixed(x)).join(' '),
        fixed(p.gflops, 1),
        percent(p.peak_fraction),
        p.ratio == null ? '—' : p.ratio.toFixed(2),
      ]);
    });
  }
  return rows;
}

/** Aligns rows of strings into columns (left-aligned text, right-aligned numbers). */
export function formatTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const numeric = (s) => /^[\d.—%\s!]+$/.test(s) && s !== '';
  return rows
    .map((r) =>
      r
        .map((cell, c) =>
          numeric(String(cell)) ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
