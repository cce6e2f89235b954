import { describe, expect, it } from 'vitest';
import { InvalidShapeError, ShapeMismatchError } from './errors';
import { isMyosegError, MyosegError } from './myoseg-error';

describe('MyosegError', () => {
  it('gives every subclass a stable code and its class name', () => {
    const e = new ShapeMismatchError('dice(a, b)', [2, 2], [3, 3]);
    expect(e).toBeInstanceOf(MyosegError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.name).toBe('ShapeMismatchError');
    expect(new InvalidShapeError('x').code).toBe('INVALID_SHAPE');
    expect(new MyosegError('plain').code).toBe('MYOSEG_ERROR');
  });

  it('isMyosegError recognises errors by marker, not by class identity', () => {
    expect(isMyosegError(new InvalidShapeError('x'))).toBe(true);
    // an error from another copy of the package: same marker, other class
    const foreign = Object.assign(new Error('other copy'), { [Symbol.for('myoseg.error')]: true, code: 'X' });
    expect(isMyosegError(foreign)).toBe(true);
    expect(isMyosegError(new RangeError('x'))).toBe(false);
    expect(isMyosegError({ code: 'INVALID_SHAPE' })).toBe(false);
    expect(isMyosegError(null)).toBe(false);
    expect(isMyosegError('INVALID_SHAPE')).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('ENOENT');
    expect(new MyosegError('cannot read', { cause }).cause).toBe(cause);
  });
});
