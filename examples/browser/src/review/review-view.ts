import { dice, type Mask } from '@myoseg/core';
import { byId, download, setFacts, setOptions } from '../dom';
import { COLORS, type MaskLayer } from '../overlay';
import { drawOverlay } from '../overlay-canvas';
import { MODEL_SOURCE, type Report, type Session } from '../session';
import { addSliceControls } from '../slice-controls';
import { adjustWindow, autoWindow, toGrey } from '../window-level';
import { patientInfo } from './patient-info';
import { actionForKey, ariaKeys, type ReviewAction, SHORTCUTS } from './shortcuts';
import { type ComparisonKey, VERDICT_LABELS, VERDICTS, type Verdict } from './verdicts';
import { viewRegion } from './view-region';

/** CSS pixels of each view's larger side. */
const DISPLAY_SIZE = 420;

/** True for key presses that belong to the focused control: typing, menus, sliders' and tabs' arrow keys. */
function forControl(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const arrows = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(key);
  if (target.closest('[role="tablist"]')) return arrows;
  if (target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  if (target.type === 'range' || target.type === 'radio') return arrows;
  return !['checkbox', 'button'].includes(target.type);
}

const radioValue = (name: string) =>
  document.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';

/**
 * The review tool of the paper's figure 5: two masks of the current slice (label files or the model's) side by
 * side or overlaid, full size or cropped to their region, with contrast, brightness and opacity sliders, the
 * patient's data, and a four-way verdict per slice (buttons and keys 1–4), kept in the session and downloadable
 * as CSV and JSON.
 */
export function setupReviewView(session: Session, report: Report): void {
  const panel = byId('view-review', HTMLElement);
  const selectA = byId('mask-a', HTMLSelectElement);
  const selectB = byId('mask-b', HTMLSelectElement);
  const [contrast, brightness, opacity] = ['contrast', 'brightness', 'opacity'].map((id) =>
    byId(id, HTMLInputElement),
  );
  const canvasA = byId('review-a', HTMLCanvasElement);
  const canvasB = byId('review-b', HTMLCanvasElement);
  const figureB = byId('figure-b', HTMLElement);
  const captionA = byId('caption-a', HTMLElement);
  const captionB = byId('caption-b', HTMLElement);
  const patient = byId('patient-info', HTMLDListElement);
  const overlap = byId('review-dice', HTMLParagraphElement);
  const verdictNow = byId('verdict-now', HTMLParagraphElement);
  const count = byId('verdict-count', HTMLSpanElement);
  const advance = byId('advance', HTMLInputElement);
  addSliceControls(byId('review-slice-controls', HTMLDivElement), session, 'review');

  const buttons = new Map<Verdict, HTMLButtonElement>();
  byId('verdict-buttons', HTMLSpanElement).replaceChildren(
    ...VERDICTS.map((verdict, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.verdict = verdict;
      button.textContent = `${i + 1} · ${VERDICT_LABELS[verdict]}`;
      button.setAttribute('aria-keyshortcuts', ariaKeys({ kind: 'verdict', verdict }));
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => rate(verdict));
      buttons.set(verdict, button);
      return button;
    }),
  );
  const previous = byId('previous-slice', HTMLButtonElement);
  const next = byId('next-slice', HTMLButtonElement);
  previous.setAttribute('aria-keyshortcuts', ariaKeys({ kind: 'slice', step: -1 }));
  next.setAttribute('aria-keyshortcuts', ariaKeys({ kind: 'slice', step: 1 }));
  previous.addEventListener('click', () => act({ kind: 'slice', step: -1 }));
  next.addEventListener('click', () => act({ kind: 'slice', step: 1 }));
  byId('shortcuts', HTMLParagraphElement).textContent = `Keys: ${SHORTCUTS.map(
    (s) => `${s.keys.join(' or ')} ${s.description}`,
  ).join(' · ')}.`;

  /** The comparison on screen: the slice and the two chosen masks; `null` until two different ones are chosen. */
  const comparison = (): ComparisonKey | null =>
    session.image && selectA.value && selectB.value && selectA.value !== selectB.value
      ? {
          image: session.image.path,
          frameIndex: session.frame,
          sliceIndex: session.slice,
          maskA: selectA.value,
          maskB: selectB.value,
        }
      : null;

  let chosen: { a?: string; b?: string } = {};
  let drawing = 0;

  const render = async () => {
    if (panel.hidden) return;
    const mine = ++drawing;
    count.textContent = `${session.verdicts.size} verdict(s)`;
    const image = session.image;
    const current = session.currentSlice();
    const sources = session.maskSources();
    const ids = sources.map((s) => s.id);
    const labelIds = ids.filter((id) => id !== MODEL_SOURCE);
    setOptions(selectA, ids, chosen.a ?? labelIds[0] ?? ids[0]);
    const defaultB =
      ids.includes(MODEL_SOURCE) && selectA.value !== MODEL_SOURCE
        ? MODEL_SOURCE
        : ids.find((id) => id !== selectA.value);
    setOptions(selectB, ids, chosen.b ?? defaultB);
    const key = comparison();
    for (const button of buttons.values()) button.disabled = !key;
    if (!image || !current) {
      verdictNow.textContent = 'Drop an image and two label files (or one and a model) to review.';
      return;
    }
    const info = patientInfo(image.path, session.patientInfo(), session.frame, image.layout.frames);
    setFacts(patient, [...info.rows, ['From', info.source]]);
    const maskOf = (id: string) => sources.find((s) => s.id === id)?.mask() ?? Promise.resolve(null);
    let maskA: Mask | null;
    let maskB: Mask | null;
    try {
      [maskA, maskB] = await Promise.all([maskOf(selectA.value), maskOf(selectB.value)]);
    } catch (e) {
      report((e as Error).message, true);
      return;
    }
    if (mine !== drawing) return;
    const { image: pixels } = current;
    const shape: [number, number] = [pixels.shape[0], pixels.shape[1]];
    const displayWindow = adjustWindow(autoWindow(pixels.data), {
      contrast: Number(contrast.value),
      brightness: Number(brightness.value),
    });
    const grey = toGrey(pixels.data, displayWindow);
    const present = [maskA, maskB].filter((m): m is Mask => m !== null);
    const region =
      radioValue('extent') === 'crop'
        ? viewRegion(present, shape)
        : { y0: 0, x0: 0, y1: shape[0], x1: shape[1] };
    const alpha = Number(opacity.value);
    const layer = (mask: Mask | null, color: MaskLayer['color']): MaskLayer[] =>
      mask ? [{ mask: mask.data, color, opacity: alpha }] : [];
    const [layerA, layerB] = [layer(maskA, COLORS.maskA), layer(maskB, COLORS.maskB)];
    const overlaid = radioValue('layout') === 'overlay';
    figureB.hidden = overlaid;
    if (overlaid) {
      drawOverlay(canvasA, grey, [...layerA, ...layerB], shape, region, DISPLAY_SIZE * 1.5);
      captionA.textContent = `A (green): ${selectA.value || '—'} · B (magenta): ${selectB.value || '—'}`;
    } else {
      drawOverlay(canvasA, grey, layerA, shape, region, DISPLAY_SIZE);
      drawOverlay(canvasB, grey, layerB, shape, region, DISPLAY_SIZE);
      captionA.textContent = `A (green): ${selectA.value || '—'}`;
      captionB.textContent = `B (magenta): ${selectB.value || '—'}`;
    }
    overlap.textContent = maskA && maskB ? `Dice(A, B) = ${dice(maskA, maskB).toFixed(4)}` : '';
    const verdict = key ? session.verdicts.get(key)?.verdict : undefined;
    for (const [v, button] of buttons) button.setAttribute('aria-pressed', String(v === verdict));
    verdictNow.textContent = `Slice k = ${session.slice}, frame t = ${session.frame}: ${
      verdict ? VERDICT_LABELS[verdict] : key ? 'no verdict yet' : 'choose two different masks'
    }`;
  };

  const rate = (verdict: Verdict) => {
    const key = comparison();
    if (!key || !session.image) {
      report('a verdict needs an image and two masks (A and B)', true);
      return;
    }
    const { patient: id } = patientInfo(
      session.image.path,
      session.patientInfo(),
      session.frame,
      session.image.layout.frames,
    );
    session.verdicts.set({ ...key, patient: id, verdict, ratedAt: new Date().toISOString() });
    session.verdictsChanged();
    if (advance.checked) session.go(session.frame, session.slice + 1);
  };

  const act = (action: ReviewAction) => {
    if (action.kind === 'verdict') rate(action.verdict);
    else if (action.kind === 'slice') session.go(session.frame, session.slice + action.step);
    else {
      const [name, values] =
        action.kind === 'toggle-layout' ? ['layout', ['side', 'overlay']] : ['extent', ['full', 'crop']];
      const other = values.find((v) => v !== radioValue(name))!;
      document.querySelector<HTMLInputElement>(`input[name="${name}"][value="${other}"]`)!.checked = true;
      void render();
    }
  };

  document.addEventListener('keydown', (event) => {
    if (panel.hidden || forControl(event.target, event.key)) return;
    const action = actionForKey(event);
    if (!action) return;
    event.preventDefault();
    act(action);
  });
  selectA.addEventListener('change', () => {
    chosen = { ...chosen, a: selectA.value };
    void render();
  });
  selectB.addEventListener('change', () => {
    chosen = { ...chosen, b: selectB.value };
    void render();
  });
  for (const input of [contrast, brightness, opacity]) input.addEventListener('input', () => void render());
  for (const radio of document.querySelectorAll<HTMLInputElement>(
    'input[name="layout"], input[name="extent"]',
  )) {
    radio.addEventListener('change', () => void render());
  }
  byId('download-csv', HTMLButtonElement).addEventListener('click', () =>
    download('myoseg-verdicts.csv', session.verdicts.toCsv(), 'text/csv'),
  );
  byId('download-json', HTMLButtonElement).addEventListener('click', () =>
    download('myoseg-verdicts.json', session.verdicts.toJson(), 'application/json'),
  );
  byId('clear-verdicts', HTMLButtonElement).addEventListener('click', () => {
    if (session.verdicts.size > 0 && confirm(`Clear all ${session.verdicts.size} verdicts?`)) {
      session.verdicts.clear();
      session.verdictsChanged();
    }
  });
  session.addEventListener('change', () => void render());
}
