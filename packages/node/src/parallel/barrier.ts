import { DataParallelError } from './errors';

/** Slots of the control words every replica shares (an `Int32Array` on a `SharedArrayBuffer`). */
export const CONTROL = {
  /** Replica outputs written so far, counted over all steps. */
  outputs: 0,
  /** The last step whose output cotangents are written. */
  cotangents: 1,
  /** 0, or 1 + the index of a replica that failed: every wait then throws. */
  failed: 2,
} as const;
/** Int32 words in the control buffer. */
export const CONTROL_WORDS = 3;

/** Adds `by` to a control word and wakes its waiters. */
export function bump(control: Int32Array, slot: number, by = 1): void {
  Atomics.add(control, slot, by);
  Atomics.notify(control, slot);
}

/** Sets a control word and wakes its waiters. */
export function publish(control: Int32Array, slot: number, value: number): void {
  Atomics.store(control, slot, value);
  Atomics.notify(control, slot);
}

/** Marks the group failed (by replica `replica`) and wakes every waiter, so that no replica blocks forever. */
export function fail(control: Int32Array, replica: number): void {
  Atomics.compareExchange(control, CONTROL.failed, 0, replica + 1);
  for (const slot of [CONTROL.outputs, CONTROL.cotangents, CONTROL.failed]) Atomics.notify(control, slot);
}

/**
 * Blocks this thread (main thread included: Node allows it) until control word `slot` reaches `target`.
 *
 * @throws {@link DataParallelError} when a replica failed meanwhile or after `timeoutMs`; `what` names the wait.
 */
export function waitAtLeast(
  control: Int32Array,
  slot: number,
  target: number,
  timeoutMs: number,
  what: string,
): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = Atomics.load(control, slot);
    if (value >= target) return;
    const failed = Atomics.load(control, CONTROL.failed);
    if (failed !== 0) throw new DataParallelError(`${what}: replica ${failed - 1} failed`);
    const left = deadline - Date.now();
    if (left <= 0) throw new DataParallelError(`${what}: no answer within ${timeoutMs} ms`);
    Atomics.wait(control, slot, value, Math.min(left, 1000));
  }
}
