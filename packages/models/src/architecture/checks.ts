import { ModelConfigError } from './errors';

/** Throws unless `inputShape` is three positive integers `[height, width, channels]`. */
export function checkInputShape(what: string, inputShape: unknown): [number, number, number] {
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== 3 ||
    !inputShape.every((n) => Number.isInteger(n) && n >= 1)
  ) {
    throw new ModelConfigError(
      `${what}: inputShape must be [height, width, channels] of positive integers, got ${JSON.stringify(inputShape)}`,
    );
  }
  return inputShape as [number, number, number];
}

/** Throws unless `w` is a finite number > 0; returns it (default 1). */
export function checkWidthMultiplier(what: string, w: unknown = 1): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
    throw new ModelConfigError(`${what}: widthMultiplier must be a finite number > 0, got ${String(w)}`);
  }
  return w;
}

/** Throws unless `seed` is an integer; returns it (default 0). */
export function checkSeed(what: string, seed: unknown = 0): number {
  if (!Number.isSafeInteger(seed)) {
    throw new ModelConfigError(`${what}: seed must be an integer, got ${String(seed)}`);
  }
  return seed as number;
}
