import { type Box, dice } from '@myoseg/core';
import { byId, download, setFacts } from './dom';
import { maskFile, maskFileName } from './mask-file';
import { frameStack } from './nifti-slice';
import { MODEL_SOURCE, type Report, type Session } from './session';
import { addSliceControls } from './slice-controls';
import { StackViewer, type ViewerStack } from './stack-viewer';

const boxText = (b: Box | null) => (b ? `y ${b.y0}–${b.y1}, x ${b.x0}–${b.x1}` : '—');

/** "localizing 3 of 10 slices (frame 0)" while the worker segments a frame. */
function progressText(p: NonNullable<Session['progress']>): string {
  const doing = p.step === 'localize' ? 'localizing' : 'segmenting';
  return `${doing} ${p.done} of ${p.total} slice(s) (frame ${p.frame})`;
}

/**
 * The Segment view: the current slice with the model's mask over it, what the model found (area, crop, σ,
 * timings), the Dice against the first label file of the slice, and a download of the whole frame's mask. The
 * frame is segmented in the pipeline worker, with its progress shown per slice.
 */
export function setupSegmentView(session: Session, report: Report): void {
  const panel = byId('view-segment', HTMLElement);
  const viewer = new StackViewer(byId('segment-canvas', HTMLCanvasElement));
  const facts = byId('segment-result', HTMLDListElement);
  const save = byId('download-mask', HTMLButtonElement);
  const progressBar = byId('segment-progress', HTMLProgressElement);
  const progressLabel = byId('segment-progress-text', HTMLOutputElement);
  session.addEventListener('progress', () => {
    const p = session.progress;
    progressBar.hidden = !p;
    progressLabel.value = p ? progressText(p) : '';
    if (p) [progressBar.value, progressBar.max] = [p.done, p.total];
  });
  addSliceControls(byId('segment-slice-controls', HTMLDivElement), session, 'segment');
  let drawing = 0;
  // the frame on screen, copied once per frame (a slider move reuses it); the key names the image object, so a
  // file dropped again under the same path is a new stack
  const imageIds = new WeakMap<object, number>();
  let nextId = 0;
  let shown: ViewerStack | null = null;
  const shownStack = (): ViewerStack => {
    const image = session.image!;
    if (!imageIds.has(image)) imageIds.set(image, nextId++);
    const key = `${image.path}#${imageIds.get(image)}#${session.frame}`;
    if (shown?.key !== key) shown = { key, ...frameStack(image.nifti, session.frame, image.path) };
    return shown;
  };

  const render = async () => {
    const mine = ++drawing;
    if (panel.hidden) return;
    const current = session.currentSlice();
    save.disabled = !current || !session.model;
    if (!current) {
      setFacts(facts, [['Image', 'none yet: drop or pick a NIfTI file']]);
      return;
    }
    const { image, spacing } = current;
    const shape: [number, number] = [image.shape[0], image.shape[1]];
    const stack = shownStack();
    const rows: [string, string][] = [
      [
        'Image',
        `${session.image!.path} (${shape[0]}×${shape[1]} px, ${spacing.map((s) => s.toFixed(2)).join(' × ')} mm)`,
      ],
    ];
    if (!session.model) {
      await viewer.show(stack, null, session.slice);
      setFacts(facts, [
        ...rows,
        ['Model', 'none yet: pick a model folder, or open the page with ?model=<url>/'],
      ]);
      return;
    }
    facts.setAttribute('aria-busy', 'true');
    try {
      await viewer.show(stack, undefined, session.slice);
      const frame = await session.frameSegmentation();
      const result = frame.slices[session.slice];
      const truth = session.maskSources().find((s) => s.id !== MODEL_SOURCE);
      const truthMask = truth ? await truth.mask() : null;
      if (mine !== drawing) return;
      await viewer.show(stack, frame.mask, session.slice);
      const pixels = result.mask.data.reduce((a, b) => a + b, 0);
      const t = result.timings;
      rows.push(
        ['Found', result.found ? 'yes' : 'no region: the mask is empty'],
        ['Myocardium', `${pixels} px, ${(result.areaMm2 ?? 0).toFixed(1)} mm²`],
        ['Crop', boxText(result.cropBox)],
        ['σ', result.sigma === null ? '—' : `${result.sigma.toFixed(2)} px`],
        [
          'Time',
          `${t.totalMs.toFixed(0)} ms per slice (localize ${t.localizeMs.toFixed(0)}, segment ${t.segmentMs.toFixed(0)}, restore ${t.restoreMs.toFixed(0)}); ${frame.ms.toFixed(0)} ms for the frame's ${frame.slices.length} slice(s) in the worker`,
        ],
      );
      if (truth && truthMask) rows.push([`Dice vs ${truth.id}`, dice(result.mask, truthMask).toFixed(4)]);
      setFacts(facts, rows);
    } catch (e) {
      if (mine === drawing) report((e as Error).message, true);
    } finally {
      if (mine === drawing) facts.setAttribute('aria-busy', 'false');
    }
  };

  save.addEventListener('click', async () => {
    const image = session.image;
    if (!image || !session.model) return;
    const frame = session.frame;
    save.disabled = true;
    try {
      const masks = (await session.frameSegmentation(frame)).slices.map((s) => s.mask);
      download(
        maskFileName(image.path, frame, image.layout.frames),
        maskFile(masks, image.nifti, image.path),
        'application/gzip',
      );
    } catch (e) {
      report((e as Error).message, true);
    } finally {
      save.disabled = false;
    }
  });
  session.addEventListener('change', () => void render());
  void render();
}
