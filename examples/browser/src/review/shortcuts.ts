import type { Verdict } from './verdicts';

/** What a key does in the review tool. */
export type ReviewAction =
  | { kind: 'verdict'; verdict: Verdict }
  | { kind: 'slice'; step: -1 | 1 }
  | { kind: 'toggle-layout' }
  | { kind: 'toggle-crop' };

/** The review tool's keyboard shortcuts: keys (as `KeyboardEvent.key`), what they do, and a description. */
export const SHORTCUTS: readonly { keys: readonly string[]; action: ReviewAction; description: string }[] = [
  { keys: ['1'], action: { kind: 'verdict', verdict: 'better-a' }, description: 'better A' },
  { keys: ['2'], action: { kind: 'verdict', verdict: 'better-b' }, description: 'better B' },
  { keys: ['3'], action: { kind: 'verdict', verdict: 'same-good' }, description: 'same, good' },
  { keys: ['4'], action: { kind: 'verdict', verdict: 'same-bad' }, description: 'same, bad' },
  { keys: ['ArrowLeft', 'p'], action: { kind: 'slice', step: -1 }, description: 'previous slice' },
  { keys: ['ArrowRight', 'n'], action: { kind: 'slice', step: 1 }, description: 'next slice' },
  { keys: ['o'], action: { kind: 'toggle-layout' }, description: 'side by side ↔ overlaid' },
  { keys: ['c'], action: { kind: 'toggle-crop' }, description: 'full size ↔ cropped to the region' },
];

/**
 * The action of a key press, or `null` for other keys and for presses with Ctrl, Alt or Meta (which belong to
 * the browser). Letters match in either case.
 */
export function actionForKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>,
): ReviewAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return SHORTCUTS.find((s) => s.keys.includes(key))?.action ?? null;
}

/** The `aria-keyshortcuts` value of an action's keys (e.g. `"ArrowRight n"`). */
export function ariaKeys(action: ReviewAction): string {
  const same = (a: ReviewAction) => JSON.stringify(a) === JSON.stringify(action);
  return SHORTCUTS.filter((s) => same(s.action))
    .flatMap((s) => s.keys)
    .join(' ');
}
