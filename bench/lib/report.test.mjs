import { describe, expect, it } from 'vitest';
import { cellName, cellRecord, formatTable, tableRows } from './report.mjs';

describe('cell records', () => {
  const record = cellRecord({
    name: cellName('train', 64, 16),
    flops: 30e9,
    peak: 300,
    paths: [
      { path: 'tfjs-wasm', threads: 1, ms: 10000, runs: [10100, 10000, 9900] },
      { path: 'tfjs-wasm data-parallel', threads: 2, ms: 6000, runs: [6000] },
      { path: 'broken', threads: 1, error: 'crashed' },
    ],
    pytorch: { ms: 1500, runs: [1500, 1490], threads: 2 },
  });

  it('is the --json object: name, our best path and its ms, PyTorch ms, ours / PyTorch', () => {
    expect(record).toMatchObject({
      name: 'train 64x16',
      ours_ms: 6000,
      ours_path: 'tfjs-wasm data-parallel',
      pytorch_ms: 1500,
      ratio: 4,
      gflop: 30,
    });
    // one run of the fastest path: no spread; PyTorch's two runs are 0.7 % apart
    expect(record).toMatchObject({ ours_min_ms: 6000, pytorch_min_ms: 1490, ratio_min: 4.03, noisy: false });
    expect(record.paths[0]).toMatchObject({ gflops: 3, peak_fraction: 0.01, ratio: 6.67 });
    expect(record.paths[2]).toMatchObject({ ms: null, error: 'crashed' });
    expect(record.pytorch).toMatchObject({ gflops: 20, peak_fraction: 0.0667 });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('without PyTorch or FLOPs the ratio and rates are null', () => {
    const r = cellRecord({
      name: 'infer 64x16',
      paths: [{ path: 'onnxruntime-node', threads: 2, ms: 200, runs: [200] }],
    });
    expect(r).toMatchObject({ ours_ms: 200, pytorch_ms: null, ratio: null, gflop: null });
    expect(r.paths[0].gflops).toBeNull();
  });

  it('the default path is the one marked so, not the fastest; a spread above 20 % is noisy', () => {
    const r = cellRecord({
      name: 'infer 64x16',
      paths: [
        { path: 'onnxruntime-node', threads: 2, ms: 300, runs: [250, 300, 400], default: true },
        { path: 'tfjs-wasm', threads: 1, ms: 200, runs: [200, 200] },
      ],
      pytorch: { ms: 500, runs: [480, 500, 520], threads: 2 },
    });
    expect(r).toMatchObject({ ours_path: 'onnxruntime-node', ours_ms: 300, ratio: 0.6, ratio_min: 0.521 });
    expect(r.paths[0].spread).toBe(0.5);
    expect(r.pytorch.spread).toBe(0.08);
    expect(r.noisy).toBe(true);
    expect(tableRows([r])[1][5]).toBe('50% !');
  });

  it('the table has one row per path and PyTorch, numbers right-aligned', () => {
    const rows = tableRows([record]);
    expect(rows).toHaveLength(1 + 4);
    expect(rows[1].slice(0, 6)).toEqual(['train 64x16', 'tfjs-wasm', '1', '9900', '10000', '2%']);
    expect(rows[3][4]).toBe('crashed');
    expect(rows[4].slice(1, 5)).toEqual(['PyTorch', '2', '1490', '1500']);
    const text = formatTable([
      ['a', 'ms'],
      ['long name', '5'],
    ]).split('\n');
    expect(text).toEqual(['a          ms', 'long name   5']);
  });
});
