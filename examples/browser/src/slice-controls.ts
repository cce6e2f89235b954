import type { Session } from './session';

/**
 * Frame and slice pickers for the current image, added to `container` (ids prefixed by `prefix`) and kept in
 * step with `session`: a frame menu (shown for 4D images only) and a slice slider with its index.
 */
export function addSliceControls(container: HTMLElement, session: Session, prefix: string): void {
  container.innerHTML = `
    <label id="${prefix}-frame-label">Frame <select id="${prefix}-frame"></select></label>
    <label>Slice <input id="${prefix}-slice" type="range" min="0" max="0" step="1" value="0" /></label>
    <output id="${prefix}-slice-text" for="${prefix}-slice"></output>`;
  const frameLabel = container.querySelector<HTMLLabelElement>(`#${prefix}-frame-label`)!;
  const frame = container.querySelector<HTMLSelectElement>(`#${prefix}-frame`)!;
  const slice = container.querySelector<HTMLInputElement>(`#${prefix}-slice`)!;
  const text = container.querySelector<HTMLOutputElement>(`#${prefix}-slice-text`)!;
  frame.addEventListener('change', () => session.go(Number(frame.value), session.slice));
  slice.addEventListener('input', () => session.go(session.frame, Number(slice.value)));
  const update = () => {
    const layout = session.image?.layout;
    slice.disabled = !layout;
    frameLabel.hidden = !layout || layout.frames < 2;
    if (!layout) {
      text.value = 'no image';
      return;
    }
    if (frame.options.length !== layout.frames) {
      frame.replaceChildren(
        ...Array.from({ length: layout.frames }, (_, t) => new Option(`t = ${t}`, String(t))),
      );
    }
    frame.value = String(session.frame);
    slice.max = String(layout.slices - 1);
    slice.value = String(session.slice);
    text.value = `k = ${session.slice} of 0–${layout.slices - 1}`;
  };
  session.addEventListener('change', update);
  update();
}
