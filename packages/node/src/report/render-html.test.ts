import { describe, expect, it } from 'vitest';
import { ReportFormatError } from './read-run-report';
import { renderReportHtml } from './render-html';
import type { RunReport } from './run-report-schema';
import { sampleRunReport } from './test-support';

describe('renderReportHtml', () => {
  const report = sampleRunReport();
  const html = renderReportHtml(report);

  it('has every section', () => {
    for (const id of [
      'summary',
      'table1',
      'distribution',
      'sigma',
      'training',
      'overlays',
      'timings',
      'notes',
    ]) {
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>myoseg demo: quick preset on the synthetic twin</title>');
  });

  it('puts Table 1 beside the paper with a signed Δ column', () => {
    const row = report.table1[4];
    expect(html).toContain('Δ mean');
    expect(html).toContain(`<td>${row.label}</td><td class="num">${row.dice.mean.toFixed(3)}</td>`);
    const delta = row.dice.mean - (row.paper?.mean ?? 0);
    expect(html).toContain(`${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(3)}`);
    expect(html).toContain('<th>NOR</th>');
  });

  it('puts the whole-volume view first when present, and says which view is which', () => {
    expect(html).not.toContain('id="volumes"');
    const withVolumes: RunReport = {
      ...report,
      wholeVolume: {
        description: 'The full method on 2 held-out patients, 4 frames.',
        rows: [
          {
            label: 'all',
            frames: 4,
            dice: 0.8512,
            hd95Mm: 4.25,
            hdMm: 9.5,
            infiniteHd: 0,
            massErrorG: -3.25,
            absMassErrorG: 5,
          },
          {
            label: 'ES',
            frames: 2,
            dice: 0.8,
            hd95Mm: null,
            hdMm: null,
            infiniteHd: 2,
            massErrorG: 1,
            absMassErrorG: 1,
          },
        ],
      },
    };
    const page = renderReportHtml(withVolumes);
    expect(page.indexOf('id="volumes"')).toBeGreaterThan(0);
    expect(page.indexOf('id="volumes"')).toBeLessThan(page.indexOf('id="table1"'));
    expect(page).toContain(
      '<td>all</td><td class="num">4</td><td class="num">0.851</td><td class="num">4.25</td>',
    );
    expect(page).toContain(
      '<td>ES</td><td class="num">2</td><td class="num">0.800</td><td class="num">—</td>',
    );
    expect(page).toContain('3D Dice');
    expect(page).toContain('reproduction view');
    expect(() =>
      renderReportHtml({
        ...withVolumes,
        wholeVolume: { description: 'x', rows: [{ ...withVolumes.wholeVolume!.rows[0], dice: 2 }] },
      }),
    ).toThrow(/wholeVolume\.rows\[0\]\.dice/);
  });

  it('draws the charts as inline SVG: a strip plot, the σ scatter with its line, loss and Dice curves', () => {
    const svgs = html.match(/<svg /g) ?? [];
    expect(svgs.length).toBe(1 + 1 + 2 * 2);
    const sigma = html.slice(html.indexOf('id="sigma"'), html.indexOf('id="training"'));
    expect(sigma.match(/<circle [^>]*fill-opacity/g)?.length).toBe(report.sigma.points.length);
    expect(sigma).toMatch(/<path d="M[^"]+L/);
    const distribution = html.slice(html.indexOf('id="distribution"'), html.indexOf('id="sigma"'));
    const dots = Object.values(report.diceDistribution.groups).reduce((n, v) => n + v.length, 0);
    expect(distribution.match(/<circle /g)?.length).toBe(dots);
    expect(distribution).toContain('MINF (n=13)');
    expect(html).toContain('localizer: loss');
    expect(html).toContain('segmenter: validation Dice');
  });

  it('embeds each overlay as a PNG data URI', () => {
    for (const s of report.slices) expect(html).toContain(`src="data:image/png;base64,${s.pngBase64}"`);
  });

  it('escapes all report text', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('patient&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Dice &lt;1&gt; &quot;quoted&quot;');
    expect(html).toContain('the paper &amp; its cohort');
    const hostile = sampleRunReport();
    hostile.title = '</title><img src=x onerror=alert(1)>';
    hostile.training = [{ name: '<b>net</b>', epochs: hostile.training[0].epochs }];
    hostile.timings = { '"><svg onload=alert(1)>': 5 };
    const out = renderReportHtml(hostile);
    expect(out).not.toMatch(/<img src=x|<b>net|<svg onload/);
    expect(out).toContain('&lt;b&gt;net&lt;/b&gt;: loss');
  });

  it('references nothing outside the page', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(src|href)="(?!data:image\/png;base64,|#)/);
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
  });

  it('renders an empty report with "none recorded" lines', () => {
    const empty: RunReport = {
      ...report,
      table1: [],
      diceDistribution: { approach: 'x', groups: {} },
      sigma: { fixed: 0, points: [] },
      training: [],
      slices: [],
      timings: {},
      notes: [],
    };
    const out = renderReportHtml(empty);
    expect(out).toContain('No approaches evaluated.');
    expect(out).toContain('No per-slice Dice recorded.');
    expect(out).toContain('σ fixed at 0');
    expect(out).toContain('No training recorded.');
    expect(out).toContain('No example slices.');
    expect(out).not.toContain('NaN');
  });

  it('checks its input first', () => {
    const bad = { ...report, table1: [{ ...report.table1[0], dice: { mean: Number.NaN, min: 0, max: 1 } }] };
    expect(() => renderReportHtml(bad)).toThrow(ReportFormatError);
    expect(() => renderReportHtml(bad)).toThrow('renderReportHtml(report): table1[0].dice.mean');
  });

  it('draws a gap for a diverged (null) loss and no NaN anywhere', () => {
    const diverged = sampleRunReport();
    diverged.training[1].epochs[3].loss = null;
    const out = renderReportHtml(diverged);
    expect(out.replace(/base64,[^"]*/g, '')).not.toContain('NaN');
    const chart = out.split('</svg>').find((svg) => svg.includes('segmenter: loss')) ?? '';
    expect(chart).toMatch(/<path d="M[^"]*M[^"]*"/); // the loss line restarts after the gap
  });
});
