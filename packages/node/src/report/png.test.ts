import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { seededRandom } from '@myoseg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png';
import { decodePng, pngChunks } from './test-support';

function randomRgba(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  // smooth gradients plus noise, so that every filter type gets picked somewhere
  return Uint8Array.from({ length: width * height * 4 }, (_, i) => {
    const p = i >> 2;
    const y = Math.floor(p / width);
    const x = p % width;
    return (
      (i % 4 === 0 ? x * 7 : i % 4 === 1 ? y * 5 : i % 4 === 2 ? x + y : 255) +
      (random() < 0.2 ? random() * 40 : 0)
    );
  });
}

describe('encodePng', () => {
  it('writes the signature, a correct IHDR, IDAT and IEND with valid CRCs', () => {
    const png = encodePng(randomRgba(5, 3, 1), 5, 3);
    const chunks = pngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    expect([...chunks[0].data]).toEqual([0, 0, 0, 5, 0, 0, 0, 3, 8, 6, 0, 0, 0]);
    expect(chunks[2].data.length).toBe(0);
  });

  it('round-trips pixels through an independent decoder (node:zlib inflate) for many sizes', () => {
    for (const [w, h] of [
      [1, 1],
      [2, 1],
      [1, 7],
      [3, 3],
      [17, 5],
      [64, 33],
      [101, 2],
    ]) {
      const rgba = randomRgba(w, h, w * 100 + h);
      const out = decodePng(encodePng(rgba, w, h));
      expect([out.width, out.height]).toEqual([w, h]);
      expect(Buffer.from(out.rgba).equals(Buffer.from(rgba))).toBe(true);
    }
  });

  it('round-trips arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, seed) => {
          const random = seededRandom(seed);
          const rgba = Uint8Array.from({ length: w * h * 4 }, () => Math.floor(random() * 256));
          const out = decodePng(encodePng(rgba, w, h));
          return Buffer.from(out.rgba).equals(Buffer.from(rgba));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses more than one filter type on an image that favours them', () => {
    const w = 40;
    const h = 20;
    const png = encodePng(randomRgba(w, h, 3), w, h);
    const raw = inflateSync(pngChunks(png)[1].data);
    const filters = new Set(Array.from({ length: h }, (_, y) => raw[y * (w * 4 + 1)]));
    expect(filters.size).toBeGreaterThan(1);
  });

  it('rejects bad sizes and a wrong buffer length, naming the argument', () => {
    expect(() => encodePng(new Uint8Array(0), 0, 1)).toThrow(/width/);
    expect(() => encodePng(new Uint8Array(4), 1, 1.5)).toThrow(/height/);
    expect(() => encodePng(new Uint8Array(7), 1, 2)).toThrow(/rgba.*8 bytes.*got 7/);
  });

  const python = '/usr/bin/python3';
  const hasPil =
    existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ['-c', 'import PIL'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
  it.skipIf(!hasPil)('is read back by Pillow (optional: only where /usr/bin/python3 has PIL)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'myoseg-png-'));
    try {
      const [w, h] = [13, 6];
      const rgba = randomRgba(w, h, 9);
      writeFileSync(join(dir, 'a.png'), encodePng(rgba, w, h));
      const out = execFileSync(python, [
        '-c',
        'import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); print(im.mode, im.size[0], im.size[1], im.tobytes().hex())',
        join(dir, 'a.png'),
      ])
        .toString()
        .trim()
        .split(' ');
      expect(out.slice(0, 3)).toEqual(['RGBA', String(w), String(h)]);
      expect(out[3]).toBe(Buffer.from(rgba).toString('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
