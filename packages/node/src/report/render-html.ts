import { sigmaRegressionFromJSON } from '@myoseg/core';
import { escapeHtml as esc } from './escape';
import { readRunReport } from './read-run-report';
import type {
  ReportSigma,
  RunReport,
  Table1Row,
  TrainingCurve,
  TrainingEpoch,
  WholeVolumeReport,
} from './run-report-schema';
import { lineChart, scatterWithLine, stripPlot } from './svg';

const STYLE = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;--accent:#0072B2;--good:#0b7a4b;--bad:#b42318}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:28px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:16px 0 8px}
section,header{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 20px}
.meta,.muted,figcaption,.caption{color:var(--muted);font-size:13px}
nav{margin:12px 0 0;font-size:14px}
nav a{color:var(--accent);text-decoration:none;margin-right:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:16px 0 4px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .value{font-size:22px;font-weight:600}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;font-size:14px;margin:4px 0 8px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal}
thead th{background:var(--bg);font-weight:600;border-bottom:2px solid var(--line)}
thead tr.group th{text-align:center;border-bottom:1px solid var(--line)}
tbody tr:hover{background:#fafbfc}
td.num{font-variant-numeric:tabular-nums}
.pos{color:var(--good)}.neg{color:var(--bad)}
tr.best td{font-weight:600}
.kv{width:auto;min-width:320px}
.kv td{text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:16px}
svg.chart{width:100%;height:auto;font-size:11px;font-family:inherit}
svg .grid{stroke:#eef0f3}
svg .frame{fill:none;stroke:#cbd2d9}
svg .tickmark{stroke:#9aa5b1}
svg .tick,svg .legend{fill:#52606d}
svg .axis-label{fill:#323f4b;font-size:12px}
svg .title{fill:#1f2933;font-size:13px;font-weight:600}
svg .median{stroke:#1f2933;stroke-width:2.5}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px;background:var(--bg)}
figure img{width:100%;height:auto;image-rendering:pixelated;border-radius:4px;display:block}
figure h3{margin:0 0 6px;text-transform:capitalize}
.bar{display:inline-block;height:8px;background:var(--accent);border-radius:4px;vertical-align:middle;opacity:.7}
ul.notes li{margin:4px 0}
footer{color:var(--muted);font-size:12px;text-align:center}
`;

const dice3 = (v: number): string => v.toFixed(3);
const orDash = (v: number | null | undefined, format: (v: number) => string): string =>
  v === null || v === undefined ? '—' : format(v);

/** A duration in ms as ms, s or min, whichever reads best. */
function duration(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

function signed(delta: number): string {
  const text = `${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(3)}`;
  return `<span class="${delta >= 0 ? 'pos' : 'neg'}">${text}</span>`;
}

const cell = (text: string): string => `<td class="num">${text}</td>`;

/** A two-column table of key/value pairs (keys and values escaped). */
function keyValueTable(entries: Record<string, string | number | boolean>): string {
  const rows = Object.entries(entries)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(String(v))}</td></tr>`)
    .join('');
  return rows ? `<table class="kv"><tbody>${rows}</tbody></table>` : '<p class="muted">None recorded.</p>';
}

function sigmaFormula(sigma: ReportSigma): string {
  if ('fixed' in sigma) return `σ fixed at ${sigma.fixed}`;
  const sign = sigma.intercept >= 0 ? '+' : '−';
  return `σ = ${sigma.slope.toPrecision(3)} · width ${sign} ${Math.abs(sigma.intercept).toPrecision(3)}, clamped to [${sigma.range[0]}, ${sigma.range[1]}]`;
}

function sigmaAt(sigma: ReportSigma): (width: number) => number {
  if ('fixed' in sigma) return () => sigma.fixed;
  const regression = sigmaRegressionFromJSON(sigma); // the pipeline's own rule, not a second formula
  return (w) => regression.predict(w);
}

function header(report: RunReport): string {
  const full = report.table1.at(-1);
  const slices = full ? Object.values(full.perGroup).reduce((n, g) => n + g.n, 0) : 0;
  // [label, value as HTML, note]
  const cards: [string, string, string][] = full
    ? [
        ['Mean Dice', dice3(full.dice.mean), `${full.label} (Table 1: filtered slices)`],
        [
          'vs paper',
          full.paper ? signed(full.dice.mean - full.paper.mean) : '—',
          full.paper ? `paper: ${dice3(full.paper.mean)}` : 'no paper number',
        ],
        ['Dice range', `${dice3(full.dice.min)}–${dice3(full.dice.max)}`, 'min – max'],
        ['HD95', orDash(full.hd95Mm.median, (v) => `${v.toFixed(1)} mm`), 'median'],
        ['Slices', String(slices), 'evaluated, all groups'],
      ]
    : [['Evaluation', '—', 'no Table 1 rows']];
  const all = report.wholeVolume?.rows[0];
  if (all) {
    cards.unshift(
      ['3D Dice', orDash(all.dice, dice3), `whole volumes, ${all.frames} frames`],
      ['3D HD95', orDash(all.hd95Mm, (v) => `${v.toFixed(1)} mm`), 'whole volumes, mean'],
    );
  }
  const cardHtml = cards
    .map(
      ([label, value, note]) =>
        `<div class="card"><div class="label">${esc(label)}</div><div class="value">${value}</div><div class="caption">${esc(note)}</div></div>`,
    )
    .join('');
  const nav = [
    ...(report.wholeVolume ? [['volumes', 'Whole volumes']] : []),
    ['table1', 'Table 1'],
    ['distribution', 'Dice per group'],
    ['sigma', 'σ regression'],
    ['training', 'Training'],
    ['overlays', 'Overlays'],
    ['timings', 'Timings'],
    ['notes', 'Notes'],
  ]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`)
    .join('');
  return `<header id="summary"><h1>${esc(report.title)}</h1>
<p class="meta">Created ${esc(report.createdAt)} · preset <strong>${esc(report.preset.name)}</strong> · ${esc(sigmaFormula(report.sigma))}</p>
<div class="cards">${cardHtml}</div>
<div class="charts"><div><h3>Preset ${esc(report.preset.name)}</h3>${keyValueTable(report.preset.settings)}</div>
${report.summary ? `<div><h3>Run</h3>${keyValueTable(report.summary)}</div>` : ''}</div>
<nav>${nav}</nav></header>`;
}

function table1Section(rows: readonly Table1Row[]): string {
  if (rows.length === 0) return section('table1', 'Table 1', '<p class="muted">No approaches evaluated.</p>');
  const best = Math.max(...rows.map((r) => r.dice.mean));
  const body = rows
    .map((r) => {
      const paper = r.paper;
      return `<tr${r.dice.mean === best ? ' class="best"' : ''}><td>${esc(r.label)}</td>${[
        dice3(r.dice.mean),
        dice3(r.dice.min),
        dice3(r.dice.max),
        orDash(paper?.mean, dice3),
        orDash(paper?.min, dice3),
        orDash(paper?.max, dice3),
      ]
        .map(cell)
        .join('')}${cell(paper ? signed(r.dice.mean - paper.mean) : '—')}${[
        orDash(r.hd95Mm.median, (v) => v.toFixed(2)),
        orDash(r.hd95Mm.mean, (v) => v.toFixed(2)),
        String(r.hd95Mm.infinite),
      ]
        .map(cell)
        .join('')}</tr>`;
    })
    .join('');
  const groups = [...new Set(rows.flatMap((r) => Object.keys(r.perGroup)))];
  const groupBody = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.label)}</td>${groups
          .map((g) => {
            const s = r.perGroup[g];
            return cell(s ? `${dice3(s.mean)} <span class="muted">(${s.n})</span>` : '—');
          })
          .join('')}</tr>`,
    )
    .join('');
  return section(
    'table1',
    "Table 1: Dice beside the paper (reproduction view: the paper's filtered slices, 2D)",
    `<table><thead><tr class="group"><th></th><th colspan="3">this run (Dice)</th><th colspan="3">paper (Dice)</th><th></th><th colspan="3">HD95 (mm)</th></tr>
<tr><th>approach</th><th>mean</th><th>min</th><th>max</th><th>mean</th><th>min</th><th>max</th><th>Δ mean</th><th>median</th><th>mean</th><th>∞</th></tr></thead>
<tbody>${body}</tbody></table>
<p class="caption">Δ = this run's mean Dice − the paper's. HD95: the median over every scored slice (∞ ones included, so it is ∞ when more than half are), the mean over the slices with a finite distance; ∞ counts slices where one mask is empty and the other is not.</p>
${groups.length ? `<h3>Mean Dice per group <span class="muted">(slices)</span></h3><table><thead><tr><th>approach</th>${groups.map((g) => `<th>${esc(g)}</th>`).join('')}</tr></thead><tbody>${groupBody}</tbody></table>` : ''}`,
  );
}

/** The whole-volume view: 3D scores of the full method over every slice, all frames then per phase and group. */
function wholeVolumeSection(view: WholeVolumeReport | undefined): string {
  if (!view) return '';
  const mm = (v: number | null) => orDash(v, (x) => x.toFixed(2));
  const body = view.rows
    .map(
      (r) =>
        `<tr><td>${esc(r.label)}</td>${[
          String(r.frames),
          orDash(r.dice, dice3),
          mm(r.hd95Mm),
          mm(r.hdMm),
          String(r.infiniteHd),
          orDash(r.massErrorG, (v) => v.toFixed(1)),
          orDash(r.absMassErrorG, (v) => v.toFixed(1)),
        ]
          .map(cell)
          .join('')}</tr>`,
    )
    .join('');
  return section(
    'volumes',
    'Whole volumes (headline: every slice with ground truth, 3D)',
    `<p>${esc(view.description)}</p>
<table><thead><tr><th>frames</th><th>n</th><th>Dice</th><th>HD95 (mm)</th><th>HD (mm)</th><th>∞</th><th>mass error (g)</th><th>|mass error| (g)</th></tr></thead>
<tbody>${body}</tbody></table>
<p class="caption">Table 1 below is the paper's reproduction view: 2D Dice per slice, on the slices its filters keep, each slice localized on its own. Distances are means over frames with a finite one; ∞ counts frames where one mask is empty and the other is not. Mass at 1.05 g/ml.</p>`,
  );
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

function distributionSection(report: RunReport): string {
  const groups = Object.entries(report.diceDistribution.groups).map(([name, values]) => ({ name, values }));
  const values = groups.flatMap((g) => g.values);
  const body =
    values.length === 0
      ? '<p class="muted">No per-slice Dice recorded.</p>'
      : stripPlot({
          groups,
          yLabel: 'Dice',
          xLabel: 'group',
          title: report.diceDistribution.approach,
          yDomain: [Math.min(0.8, Math.floor(Math.min(...values) * 10) / 10), 1],
          size: { width: 720, height: 320 },
        });
  return section(
    'distribution',
    'Dice distribution per group',
    `${body}<p class="caption">One dot per slice (spread sideways to be seen), the bar is the group's median.</p>`,
  );
}

function sigmaSection(sigma: ReportSigma): string {
  const points = sigma.points.map((p) => [p.width, p.sigma] as const);
  const widths = points.map(([w]) => w);
  const xDomain: [number, number] = widths.length
    ? [Math.max(0, Math.min(...widths) - 5), Math.max(...widths) + 5]
    : [0, 200];
  const chart = scatterWithLine({
    points,
    line: sigmaAt(sigma),
    pointName: 'best σ per slice',
    lineName: 'fitted σ',
    xLabel: 'crop width (pixels)',
    yLabel: 'σ (pixels)',
    xDomain,
    size: { width: 720, height: 320 },
  });
  return section(
    'sigma',
    'Gaussian σ regression',
    `${chart}<p class="caption">${esc(sigmaFormula(sigma))}; ${points.length} fitting slice(s), best σ by Dice on the grid 0…1.</p>`,
  );
}

function trainingSection(training: readonly TrainingCurve[]): string {
  const networks = training.filter((c) => c.epochs.length > 0);
  if (networks.length === 0)
    return section('training', 'Training curves', '<p class="muted">No training recorded.</p>');
  const body = networks
    .map(({ name, epochs }) => {
      const at = (value: (e: TrainingEpoch) => number | null | undefined) =>
        epochs.map((e) => [e.epoch, value(e) ?? null] as const);
      const losses = [{ name: 'loss', points: at((e) => e.loss) }];
      if (epochs.some((e) => e.valLoss != null))
        losses.push({ name: 'val loss', points: at((e) => e.valLoss) });
      const charts = [lineChart({ series: losses, xLabel: 'epoch', yLabel: 'loss', title: `${name}: loss` })];
      if (epochs.some((e) => e.valDice != null)) {
        charts.push(
          lineChart({
            series: [{ name: 'val Dice', points: at((e) => e.valDice) }],
            xLabel: 'epoch',
            yLabel: 'Dice',
            title: `${name}: validation Dice`,
          }),
        );
      }
      return `<h3>${esc(name)}</h3><div class="charts">${charts.join('')}</div>`;
    })
    .join('');
  return section('training', 'Training curves', body);
}

function overlaySection(report: RunReport): string {
  const figures = report.slices
    .map(
      (s) =>
        `<figure><h3>${esc(s.title)}</h3><img src="data:image/png;base64,${s.pngBase64}" alt="${esc(`${s.title}: ${s.patientId}`)}">
<figcaption><strong>${esc(s.patientId)}</strong> · ${esc(s.group)} · Dice ${dice3(s.dice)}${s.caption ? `<br>${esc(s.caption)}` : ''}</figcaption></figure>`,
    )
    .join('');
  return section(
    'overlays',
    'Example slices',
    figures ? `<div class="figures">${figures}</div>` : '<p class="muted">No example slices.</p>',
  );
}

function timingsSection(timings: Record<string, number>): string {
  const entries = Object.entries(timings);
  const max = Math.max(1e-9, ...entries.map(([, ms]) => ms));
  const rows = entries
    .map(
      ([k, ms]) =>
        `<tr><td>${esc(k)}</td>${cell(duration(ms))}<td style="width:40%;text-align:left"><span class="bar" style="width:${((100 * ms) / max).toFixed(1)}%"></span></td></tr>`,
    )
    .join('');
  return section(
    'timings',
    'Timings',
    rows
      ? `<table><thead><tr><th>step</th><th>time</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
      : '<p class="muted">No timings recorded.</p>',
  );
}

function notesSection(notes: readonly string[]): string {
  return section(
    'notes',
    'Notes',
    notes.length
      ? `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '<p class="muted">No notes.</p>',
  );
}

/**
 * Renders a run report as one self-contained HTML page: inline CSS, inline SVG charts and the overlay PNGs
 * as `data:` URIs; no scripts and no external resources, so it opens offline and can be mailed as a file.
 *
 * Sections: header with summary cards and the preset, the whole-volume view (3D, when present), Table 1 beside the paper's numbers (with Δ and
 * per-group Dice), the Dice distribution per group, the σ regression with its points, training curves,
 * the example overlays, timings and notes. All report text is HTML-escaped. Empty parts render as a
 * short "none recorded" line.
 *
 * @param report - the run's report; it is checked first, as by {@link readRunReport}.
 * @returns the HTML document as a string.
 * @throws {@link ReportFormatError} when `report` has a missing or malformed field.
 */
export function renderReportHtml(report: RunReport): string {
  const r = readRunReport(report, 'renderReportHtml(report)');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(r.title)}</title><style>${STYLE}</style></head>
<body><main>
${header(r)}
${wholeVolumeSection(r.wholeVolume)}
${table1Section(r.table1)}
${distributionSection(r)}
${sigmaSection(r.sigma)}
${trainingSection(r.training)}
${overlaySection(r)}
${timingsSection(r.timings)}
${notesSection(r.notes)}
<footer>Generated by myoseg · ${esc(r.createdAt)}</footer>
</main></body></html>
`;
}
