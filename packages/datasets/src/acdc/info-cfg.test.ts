import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AcdcFormatError } from '../errors';
import { formatInfoCfg, parseInfoCfg } from './info-cfg';
import { ACDC_GROUPS } from './types';

describe('parseInfoCfg', () => {
  it("reads ACDC's Info.cfg", () => {
    const text = 'ED: 1\nES: 12\nGroup: DCM\nHeight: 184.0\nNbFrame: 30\nWeight: 95.0\n';
    expect(parseInfoCfg(text)).toEqual({
      ed: 1,
      es: 12,
      group: 'DCM',
      height: 184,
      weight: 95,
      nbFrames: 30,
    });
  });

  it('accepts CRLF, any order, spaces and unknown keys', () => {
    const text =
      'Weight : 60\r\nGroup:NOR\r\n\r\nNbFrame: 25\r\nED: 25\r\nES: 9\r\nHeight: 150.5\r\nExtra: x\r\n';
    expect(parseInfoCfg(text)).toMatchObject({ ed: 25, es: 9, group: 'NOR', height: 150.5, nbFrames: 25 });
  });

  const bad: [string, string, RegExp][] = [
    ['a missing field', 'ED: 1\nES: 2\nGroup: NOR\nHeight: 1\nNbFrame: 3\n', /Weight is missing/],
    ['an unknown group', 'ED: 1\nES: 2\nGroup: XYZ\nHeight: 1\nNbFrame: 3\nWeight: 2', /Group is "XYZ"/],
    ['a fractional frame', 'ED: 1.5\nES: 2\nGroup: NOR\nHeight: 1\nNbFrame: 3\nWeight: 2', /ED is "1.5"/],
    [
      'ES past NbFrame',
      'ED: 1\nES: 9\nGroup: NOR\nHeight: 1\nNbFrame: 3\nWeight: 2',
      /ES is frame 9 but NbFrame is 3/,
    ],
    ['a repeated key', 'ED: 1\nED: 1\nES: 2\nGroup: NOR\nHeight: 1\nNbFrame: 3\nWeight: 2', /twice/],
    ['a line without a colon', 'ED 1\n', /line 1/],
  ];
  for (const [what, text, message] of bad) {
    it(`names the file and field for ${what}`, () => {
      expect(() => parseInfoCfg(text, 'training/patient007/Info.cfg')).toThrow(AcdcFormatError);
      expect(() => parseInfoCfg(text, 'training/patient007/Info.cfg')).toThrow(message);
      expect(() => parseInfoCfg(text, 'training/patient007/Info.cfg')).toThrow(
        /^training\/patient007\/Info.cfg: /,
      );
    });
  }

  it('reads back what formatInfoCfg writes (property)', () => {
    const info = fc
      .record({
        nbFrames: fc.integer({ min: 1, max: 40 }),
        group: fc.constantFrom(...ACDC_GROUPS),
        height: fc.integer({ min: 1200, max: 2200 }).map((v) => v / 10),
        weight: fc.integer({ min: 300, max: 1500 }).map((v) => v / 10),
        a: fc.nat(),
        b: fc.nat(),
      })
      .map(({ nbFrames, a, b, ...rest }) => ({
        ...rest,
        nbFrames,
        ed: (a % nbFrames) + 1,
        es: (b % nbFrames) + 1,
      }));
    fc.assert(
      fc.property(info, (i) => {
        expect(parseInfoCfg(formatInfoCfg(i))).toEqual(i);
      }),
    );
  });
});
