// End to end in headless Chromium: segment a NIfTI stack with a model folder in the pipeline worker (WebGPU on
// SwiftShader, then wasm with a model URL and a 4D cine), check every slice's mask against onnxruntime-node's and
// that the main thread kept ticking, check the overlay on a screenshot against the downloaded mask, then rate
// slices in the review view and check the downloaded verdicts. Needs `vite build` first and Debian's chromium.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dice, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import { readNifti } from '@myoseg/datasets';
import { loadPipelineFolder } from '@myoseg/node';
import ndarray from 'ndarray';
import { CHROMIUM, launchChromium } from './chromium.mjs';
import { makeFixtures } from './fixtures.mjs';
import { serve } from './static-server.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** Where screenshots go (kept after the run). */
const SHOTS = process.env.MYOSEG_E2E_SHOTS ?? join(tmpdir(), 'myoseg-browser-e2e');

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const step = (text) => console.log(`e2e [${seconds()} s] ${text}`);

if (!existsSync(CHROMIUM)) {
  console.error(
    `e2e: no Chromium at ${CHROMIUM}. Install Debian's: apt-get install -y chromium (or set CHROMIUM_PATH).`,
  );
  process.exit(1);
}
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`e2e: ${DIST}index.html is missing: run \`vite build\` first (npm test does).`);
  process.exit(1);
}

/** Slice `k` of a `[D, H, W]` NIfTI volume as an `[H, W]` ndarray. */
function sliceOf(image, k) {
  const [h, w] = image.shape.slice(-2);
  return ndarray(image.data.subarray(k * h * w, (k + 1) * h * w), [h, w]);
}

/** Decodes a PNG in the browser (no PNG decoder in Node's standard library): `{ width, height, data }` RGBA. */
async function decodePng(page, png) {
  const { width, height, data } = await page.evaluate(async (base64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = new OffscreenCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const bytes = ctx.getImageData(0, 0, img.width, img.height).data;
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { width: img.width, height: img.height, data: btoa(text) };
  }, png.toString('base64'));
  return { width, height, data: Buffer.from(data, 'base64') };
}

/** Pixels of the model's red in a decoded screenshot: red well above green and blue (grey has them equal). */
function redPixels(shot) {
  let n = 0;
  for (let i = 0; i < shot.data.length; i += 4)
    if (shot.data[i] - Math.max(shot.data[i + 1], shot.data[i + 2]) > 40) n++;
  return n;
}

/** Shows slice `k` in the Segment view and returns the red pixels niivue draws there. */
async function redOnSlice(page, k) {
  await page.locator('#segment-slice').fill(String(k));
  await page.waitForFunction(
    (v) => document.querySelector('#segment-slice-text')?.value.startsWith(`k = ${v} `),
    k,
  );
  await waitIdle(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return redPixels(await decodePng(page, await page.locator('#segment-canvas').screenshot()));
}

/** The `<dl id>` of the page as `{ term: description }`. */
const facts = (page, id) =>
  page.$eval(`#${id}`, (dl) =>
    Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
    ),
  );

/** Clicks `selector` and saves the download it starts; returns its name and text or bytes. */
async function downloadOf(page, selector, dir) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

/**
 * Runs in the page before its scripts: a 10 ms timer on the main thread, the main thread's long tasks (the Long
 * Tasks API: every task over 50 ms), and the times the Segment view's progress bar shows and hides (the worker
 * segmenting a frame), so that the test can measure the main thread while the pipeline runs.
 */
function watchMainThread() {
  const ticks = [];
  const running = [];
  const longTasks = [];
  setInterval(() => ticks.push(performance.now()), 10);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__mainThread = { ticks, running, longTasks };
  new MutationObserver(() => {
    const bar = document.querySelector('#segment-progress');
    const state = bar && !bar.hidden;
    if (bar && running.at(-1)?.state !== state) running.push({ state, at: performance.now() });
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['hidden'] });
}

/**
 * While the worker segmented the first frame (from the task that posted the stack to the one that took the result):
 * the longest main-thread task (ms; 0 when none took over 50 ms), the longest gap between the timer's ticks (ms),
 * and how long the worker ran.
 */
const mainThread = (page) =>
  page.evaluate(() => {
    const { ticks, running, longTasks } = window.__mainThread;
    const start = running.find((b) => b.state)?.at;
    const end = running.find((b) => !b.state && b.at > start)?.at;
    const inside = ticks.filter((t) => t >= start && t <= end);
    const times = [start, ...inside, end];
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    // the tasks that ran while the worker did: not the one that posted the stack (it shows the bar), nor the one
    // that takes the result (it hides the bar, then draws the overlay)
    const tasks = longTasks.filter((t) => t.start >= start && t.start + t.ms <= end);
    return {
      longestTask: Math.max(0, ...tasks.map((t) => t.ms)),
      gap,
      busyMs: end - start,
      ticks: inside.length,
    };
  });

/**
 * Checks that the page stayed responsive while the worker ran: no main-thread task of 100 ms or more (the Long
 * Tasks API: the page's own work). The timer's longest gap is reported beside it, not asserted: on a 2-core CI
 * host running other suites at once it measures the OS scheduler more than the page (alone here: 25–82 ms).
 */
function expectResponsive(m, what) {
  assert.ok(m.ticks > 0, `${what}: the main thread ticked while the worker ran`);
  assert.ok(
    m.longestTask < 100,
    `${what}: a main-thread task took ${m.longestTask.toFixed(0)} ms while the worker segmented (${m.busyMs.toFixed(0)} ms)`,
  );
  return `longest main-thread task ${m.longestTask.toFixed(0)} ms, longest timer gap ${m.gap.toFixed(0)} ms`;
}

/** A page that fails the test on any uncaught error or console error. */
async function openPage(context, url, errors) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${url}: console: ${m.text()}`);
  });
  await page.addInitScript(watchMainThread);
  await page.goto(url);
  return page;
}

/** Waits until the page has loaded a model; returns the runtime it runs on and the page's line about it. */
async function modelLoaded(page) {
  await page.waitForSelector('#runtime[data-runtime]', { state: 'attached', timeout: 60_000 });
  return page.$eval('#runtime', (o) => ({ runtime: o.dataset.runtime, summary: o.value }));
}

/**
 * Checks the page's `[D, H, W]` mask against onnxruntime-node's on every slice (Dice ≥ 0.999; two empty masks
 * agree); returns the lowest Dice.
 */
function expectSameAsNode(mask, reference, what) {
  let lowest = 1;
  for (let k = 0; k < mask.shape[0]; k++) {
    const agreement = dice(sliceOf(mask, k), sliceOf(reference, k));
    lowest = Math.min(lowest, agreement);
    assert.ok(agreement >= 0.999, `${what}: slice ${k} differs from onnxruntime-node's: Dice ${agreement}`);
  }
  return lowest;
}

/** A 3D image segmented by onnxruntime-node with the same model folder, as the page does it. */
async function nodeMask(modelDir, imageFile) {
  const image = readNifti(await readFile(imageFile));
  const folder = await loadPipelineFolder(modelDir, { runtime: 'onnxruntime' });
  try {
    const { mask } = await folder.pipeline.segmentVolume(
      ndarray(Float32Array.from(image.data), image.shape),
      {
        spacing: image.spacing.slice(-3),
        affine: image.affine,
      },
    );
    return mask;
  } finally {
    folder.dispose();
  }
}

const waitIdle = (page) =>
  page.waitForFunction(
    () => document.querySelector('#segment-result')?.getAttribute('aria-busy') === 'false',
    null,
    {
      timeout: 60_000,
    },
  );

/** The whole test, its data in `work`. */
async function run(work) {
  await mkdir(SHOTS, { recursive: true });
  const fx = await makeFixtures(work);
  step(`fixtures: 8 synthetic patients, a tiny model, test patient ${fx.patient}`);
  const reference = await nodeMask(fx.model, fx.image);
  step(`onnxruntime-node: ${reference.data.reduce((a, b) => a + b, 0)} myocardium voxels in the ED stack`);
  const server = await serve({ '/': DIST, '/fixtures/': work });
  const context = await launchChromium(join(work, 'profile'), {
    acceptDownloads: true,
    viewport: { width: 1500, height: 1300 },
  });
  const errors = [];
  try {
    // 1. Segment view on WebGPU (SwiftShader), the model folder from the directory picker; the pipeline runs in
    //    the worker while the main thread keeps ticking.
    const page = await openPage(context, `${server.url}?runtime=webgpu`, errors);
    await page.setInputFiles('#file-input', [fx.image, fx.labels, fx.info]);
    await page.setInputFiles('#model-input', fx.model);
    const onGpu = await modelLoaded(page);
    assert.equal(onGpu.runtime, 'webgpu', onGpu.summary);
    assert.match(onGpu.summary, /^webgpu \(.*swiftshader/i);
    step(`page up on ${onGpu.summary}`);
    await page.waitForSelector('#segment-result dt:text-matches("^Dice vs")', { timeout: 120_000 });
    await waitIdle(page);
    const k = Number(await page.inputValue('#segment-slice'));
    const shown = await facts(page, 'segment-result');
    const onGpuMain = await mainThread(page);
    const responsive = expectResponsive(onGpuMain, 'webgpu');
    step(
      `segmented the stack on webgpu in ${onGpuMain.busyMs.toFixed(0)} ms (${responsive}); slice k = ${k}: ${shown.Myocardium}`,
    );

    const saved = await downloadOf(page, '#download-mask', work);
    assert.equal(saved.name, basename(fx.image).replace('.nii.gz', '_myo.nii.gz'));
    const maskVolume = readNifti(saved.bytes);
    const lowestGpu = expectSameAsNode(maskVolume, reference, 'webgpu');
    const mask = sliceOf(maskVolume, k);
    const truth = selectLabels(sliceOf(readNifti(await readFile(fx.labels)), k), MYOCARDIUM_LABELS);
    const pixels = mask.data.reduce((a, b) => a + b, 0);
    assert.ok(pixels > 50, `the model found only ${pixels} myocardium pixels on slice ${k}`);
    assert.equal(shown.Myocardium.split(' ')[0], String(pixels), 'the page shows the mask it saved');
    assert.equal(shown[`Dice vs ${basename(fx.labels)}`], dice(mask, truth).toFixed(4), 'Dice on the page');
    step(
      `webgpu masks equal onnxruntime-node's on all ${maskVolume.shape[0]} slices (lowest Dice ${lowestGpu.toFixed(4)})`,
    );

    // the niivue view: red where the mask is, in proportion to its area, and none on a slice without myocardium
    const areas = Array.from({ length: maskVolume.shape[0] }, (_, z) =>
      sliceOf(maskVolume, z).data.reduce((a, b) => a + b, 0),
    );
    const empty = areas.indexOf(0);
    const other = areas.findIndex((a, z) => z !== k && a > 0.5 * pixels);
    const redK = await redOnSlice(page, k);
    await writeFile(join(SHOTS, 'segment-canvas.png'), await page.locator('#segment-canvas').screenshot());
    await page.screenshot({ path: join(SHOTS, 'segment-view.png'), fullPage: true });
    assert.ok(redK > 0, `niivue shows no red on slice ${k}, whose mask has ${pixels} pixels`);
    const scale = redK / pixels;
    if (other >= 0) {
      const redOther = await redOnSlice(page, other);
      const scaleOther = redOther / areas[other];
      assert.ok(
        Math.abs(scaleOther - scale) < 0.25 * scale,
        `red per mask pixel: ${scale.toFixed(1)} on slice ${k}, ${scaleOther.toFixed(1)} on slice ${other}`,
      );
    }
    if (empty >= 0)
      assert.equal(await redOnSlice(page, empty), 0, `red on slice ${empty}, whose mask is empty`);
    await redOnSlice(page, k);
    step(
      `niivue overlay: ${redK} red screen pixels for ${pixels} mask pixels on slice ${k} (${scale.toFixed(1)} per pixel)${other >= 0 ? `, the same ratio on slice ${other}` : ''}${empty >= 0 ? `, none on empty slice ${empty}` : ''}; Dice vs truth ${dice(mask, truth).toFixed(3)}`,
    );

    // 2. Review view: ground truth (A) vs the model (B); rate two slices, one by key and one by button.
    await page.click('#tab-review');
    await page.waitForSelector(`#verdict-now:text-matches("^Slice k = ${k},")`);
    assert.equal(await page.inputValue('#mask-a'), basename(fx.labels));
    assert.equal(await page.inputValue('#mask-b'), 'model');
    const patient = await facts(page, 'patient-info');
    assert.equal(patient.Patient, fx.patient);
    assert.match(patient.Group, /^(NOR|MINF|DCM|HCM|RV) \(/);
    assert.equal(patient.From, 'Info.cfg');
    await page.keyboard.press('1');
    await page.waitForSelector(`#verdict-now:text-matches("^Slice k = ${k + 1},")`);
    await page.click('[data-verdict="same-good"]');
    await page.waitForSelector(`#verdict-now:text-matches("^Slice k = ${k + 2},")`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`#verdict-now:text-matches("^Slice k = ${k + 1}, .*: Same, good$")`);
    assert.equal(await page.getAttribute('[data-verdict="same-good"]', 'aria-pressed'), 'true');

    const before = await page.locator('#review-a').screenshot();
    await page.locator('#contrast').fill('3');
    await page.locator('#opacity').fill('1');
    const after = await page.locator('#review-a').screenshot();
    assert.notDeepEqual(after, before, 'contrast and opacity change the view');
    await page.locator('#review-a').click(); // keys go to the page again, not to the slider
    await page.keyboard.press('o');
    assert.equal(await page.isHidden('#figure-b'), true, "'o' overlays both masks in one view");
    await page.keyboard.press('c');
    await page.waitForFunction(() => document.querySelector('#review-a').width < 200);
    await page.screenshot({ path: join(SHOTS, 'review-view.png'), fullPage: true });

    const csv = (await downloadOf(page, '#download-csv', work)).bytes.toString('utf8');
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines[0], 'image,patient,frameIndex,sliceIndex,maskA,maskB,verdict,ratedAt');
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(
      rows.map((r) => r.slice(0, 7)),
      [
        [basename(fx.image), fx.patient, '0', String(k), basename(fx.labels), 'model', 'better-a'],
        [basename(fx.image), fx.patient, '0', String(k + 1), basename(fx.labels), 'model', 'same-good'],
      ],
    );
    for (const r of rows) assert.ok(!Number.isNaN(Date.parse(r[7])), `ratedAt ${r[7]}`);
    const json = JSON.parse((await downloadOf(page, '#download-json', work)).bytes.toString('utf8'));
    assert.equal(json.format, 'myoseg-review-verdicts');
    assert.equal(json.version, 1);
    assert.deepEqual(
      json.verdicts.map((v) => [v.sliceIndex, v.verdict, v.ratedAt]),
      rows.map((r) => [Number(r[3]), r[6], r[7]]),
    );
    await page.reload();
    await page.click('#tab-review');
    await page.waitForSelector('#verdict-count:text-is("2 verdict(s)")');
    step('review: 2 verdicts (key 1, button), CSV and JSON downloaded, kept across a reload');
    await page.close();

    // 3. wasm (threads: the test server sends COOP/COEP), the model from a URL, and a 4D cine with a frame picker.
    const wasm = await openPage(
      context,
      `${server.url}?runtime=wasm&threads=2&model=${server.url}fixtures/model/`,
      errors,
    );
    const onWasm = await modelLoaded(wasm);
    assert.equal(onWasm.runtime, 'wasm', onWasm.summary);
    assert.equal(onWasm.summary, 'wasm (2 threads; float32)', 'cross-origin isolated: wasm on threads');
    await wasm.setInputFiles('#file-input', [fx.cine, fx.labels]);
    await wasm.waitForSelector('#segment-result dt:text-matches("^Dice vs")', { timeout: 60_000 });
    await waitIdle(wasm);
    assert.deepEqual(await wasm.$$eval('#segment-frame option', (o) => o.map((x) => x.value)), ['0', '1']);
    const wasmResponsive = expectResponsive(await mainThread(wasm), 'wasm');
    const cineMask = readNifti((await downloadOf(wasm, '#download-mask', work)).bytes);
    const lowestWasm = expectSameAsNode(cineMask, reference, 'wasm');
    await wasm.selectOption('#segment-frame', '1');
    await wasm.waitForSelector('#segment-result dt:text-is("Found")');
    await waitIdle(wasm);
    assert.equal(
      await wasm.isVisible('#segment-result dt:text-matches("^Dice vs")'),
      false,
      'ED labels stay off ES',
    );
    step(
      `${onWasm.summary} + model URL + 4D cine: frame 0 equals onnxruntime-node's (lowest Dice ${lowestWasm.toFixed(4)}); ${wasmResponsive}`,
    );
    await wasm.close();

    // 4. A model URL that holds no model: a message that says so. Then a file dropped on the page.
    const missing = await context.newPage();
    await missing.goto(`${server.url}?runtime=wasm&model=${server.url}fixtures/no-model/`);
    await missing.waitForSelector('#log li.error:text-matches("is not a myoseg model folder")', {
      timeout: 30_000,
    });
    await missing.evaluate(
      async (url) => {
        const data = new DataTransfer();
        data.items.add(new File([await (await fetch(url)).arrayBuffer()], url.split('/').pop()));
        document
          .querySelector('#drop-zone')
          .dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
      },
      `${server.url}fixtures/${relative(work, fx.image).split(sep).join('/')}`,
    );
    await missing.waitForFunction(
      (name) => document.querySelector('#image-select').value === name,
      basename(fx.image),
    );
    step('a folder without a model is reported; a dropped file is read');
    await missing.close();

    assert.deepEqual(errors, [], 'no page errors');
    console.log(`e2e: passed in ${seconds()} s; screenshots in ${SHOTS}`);
  } finally {
    await context.close();
    await server.close();
  }
}

const work = await mkdtemp(join(tmpdir(), 'myoseg-browser-e2e-'));
try {
  await run(work);
} catch (error) {
  console.error(`e2e: FAILED after ${seconds()} s (screenshots so far in ${SHOTS})\n`, error);
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
