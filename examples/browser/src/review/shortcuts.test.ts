import { describe, expect, it } from 'vitest';
import { actionForKey, ariaKeys, SHORTCUTS } from './shortcuts';

const press = (key: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'metaKey', boolean>> = {}) =>
  actionForKey({ key, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe('review shortcuts', () => {
  it('maps 1–4 to the four verdicts and the arrows to slices', () => {
    expect(['1', '2', '3', '4'].map((k) => press(k))).toEqual([
      { kind: 'verdict', verdict: 'better-a' },
      { kind: 'verdict', verdict: 'better-b' },
      { kind: 'verdict', verdict: 'same-good' },
      { kind: 'verdict', verdict: 'same-bad' },
    ]);
    expect(press('ArrowRight')).toEqual({ kind: 'slice', step: 1 });
    expect(press('P')).toEqual({ kind: 'slice', step: -1 });
    expect(press('o')).toEqual({ kind: 'toggle-layout' });
  });

  it('leaves other keys and modified presses to the browser', () => {
    expect(press('5')).toBeNull();
    expect(press('Enter')).toBeNull();
    expect(press('1', { ctrlKey: true })).toBeNull();
    expect(press('c', { metaKey: true })).toBeNull();
  });

  it('gives every key to one action only, and lists them for aria-keyshortcuts', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys.map((k) => k.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
    expect(ariaKeys({ kind: 'slice', step: 1 })).toBe('ArrowRight n');
  });
});
