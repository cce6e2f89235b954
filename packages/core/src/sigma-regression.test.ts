import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from './errors';
import { fitSigmaRegression, sigmaRegressionFromJSON } from './sigma-regression';

describe('fitSigmaRegression', () => {
  it('recovers an exact line and clamps predictions to the grid range', () => {
    const samples = [40, 60, 80, 100].map((width) => ({ width, sigma: 0.005 * width + 0.1 }));
    const r = fitSigmaRegression(samples);
    expect(r.slope).toBeCloseTo(0.005, 12);
    expect(r.intercept).toBeCloseTo(0.1, 12);
    expect(r.predict(70)).toBeCloseTo(0.45, 12);
    expect(r.predict(1000)).toBe(1);
    expect(
      fitSigmaRegression([
        { width: 10, sigma: 1 },
        { width: 20, sigma: 0 },
      ]).predict(100),
    ).toBe(0);
  });

  it('matches hand-computed least squares on noisy points', () => {
    // x = 1,2,3,4; y = 1,3,2,4: slope = 0.8, intercept = 0.5
    const r = fitSigmaRegression(
      [1, 3, 2, 4].map((sigma, i) => ({ width: i + 1, sigma })),
      { range: [-10, 10] },
    );
    expect(r.slope).toBeCloseTo(0.8, 12);
    expect(r.intercept).toBeCloseTo(0.5, 12);
  });

  it('round-trips through JSON', () => {
    const r = fitSigmaRegression([
      { width: 50, sigma: 0.2 },
      { width: 90, sigma: 0.6 },
    ]);
    const back = sigmaRegressionFromJSON(JSON.parse(JSON.stringify(r)));
    expect(back.toJSON()).toEqual(r.toJSON());
    expect(back.predict(70)).toBe(r.predict(70));
  });

  it('needs two distinct widths, and names bad fields', () => {
    expect(() => fitSigmaRegression([])).toThrow(InsufficientDataError);
    expect(() =>
      fitSigmaRegression([
        { width: 5, sigma: 0.1 },
        { width: 5, sigma: 0.3 },
      ]),
    ).toThrow(/2 distinct widths/);
    expect(() => fitSigmaRegression([{ width: Number.NaN, sigma: 0.1 }])).toThrow(/samples\[0\]\.width/);
    expect(() => sigmaRegressionFromJSON({ slope: 1, intercept: 'x', range: [0, 1] })).toThrow(/intercept/);
    expect(() => sigmaRegressionFromJSON({ slope: 1, intercept: 0, range: [1, 0] })).toThrow(/range/);
  });
});
