import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { TrainingOptionsError } from './errors';
import { freeze, freezeTo, trainableParameters, unfreeze } from './layer-groups';
import { standInUNet, useBackend } from './test-support';

beforeAll(async () => {
  await useBackend('cpu');
});

const trainable = (names: string[], model: ReturnType<typeof standInUNet>['model']) =>
  names.map((n) => model.getLayer(n).trainable);

describe('freeze / unfreeze', () => {
  it('freezes all groups but the last, keeping BatchNorm trainable (fastai train_bn)', () => {
    const { model, groups } = standInUNet();
    freeze(model, groups);
    expect(trainable(['stem.conv', 'enc.conv', 'stem.bn', 'enc.bn', 'dec.conv', 'dec.head'], model)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    const names = model.trainableWeights.map((w) => w.originalName);
    expect(names.some((n) => n.startsWith('stem.conv'))).toBe(false);
    expect(names.filter((n) => n.startsWith('stem.bn'))).toHaveLength(2); // gamma, beta
    unfreeze(model, groups);
    expect(model.layers.every((l) => l.trainable || l.getClassName() === 'InputLayer')).toBe(true);
    freezeTo(1, groups);
    expect(trainable(['stem.conv', 'enc.conv'], model)).toEqual([false, true]);
    model.dispose();
  });

  it('uses the U-Net’s groups by default', () => {
    const model = buildUNet({
      encoder: 'resnet18',
      inputShape: [32, 32, 3],
      numClasses: 2,
      widthMultiplier: 1 / 16,
    });
    freeze(model);
    expect(model.getLayer('conv1').trainable).toBe(false);
    expect(model.getLayer('layer4.1.conv2').trainable).toBe(false);
    expect(model.getLayer('layer3.0.bn1').trainable).toBe(true);
    expect(model.getLayer('head.conv').trainable).toBe(true);
    unfreeze(model);
    expect(model.getLayer('conv1').trainable).toBe(true);
    model.dispose();
  });

  it('rejects a single group and non-integer counts', () => {
    const { model, groups } = standInUNet();
    expect(() => freeze(model, [groups.flat()])).toThrow(TrainingOptionsError);
    expect(() => freezeTo(0.5, groups)).toThrow(TrainingOptionsError);
    model.dispose();
  });
});

describe('trainableParameters', () => {
  it('maps weights to groups and exempts BatchNorm and biases from weight decay (fastai wd_bn_bias=False)', () => {
    const { model, groups } = standInUNet();
    const params = trainableParameters(model, groups);
    const byName = new Map(model.trainableWeights.map((w, i) => [w.originalName, params[i]]));
    expect(byName.get('stem.conv/kernel')).toMatchObject({ group: 0, decay: true });
    expect(byName.get('stem.bn/gamma')).toMatchObject({ group: 0, decay: false });
    expect(byName.get('enc.bn/beta')).toMatchObject({ group: 1, decay: false });
    expect(byName.get('dec.head/kernel')).toMatchObject({ group: 2, decay: true });
    expect(byName.get('dec.head/bias')).toMatchObject({ group: 2, decay: false });
    model.dispose();
  });

  it('rejects weights in no group and layers in two', () => {
    const { model, groups } = standInUNet();
    expect(() => trainableParameters(model, [groups[0], groups[1]])).toThrow(/dec\.conv/);
    expect(() => trainableParameters(model, [groups[0], groups[1], [...groups[2], groups[0][1]]])).toThrow(
      TrainingOptionsError,
    );
    model.dispose();
  });
});
