import {
  boundingBox,
  cropImage,
  dice,
  fitSigmaRegression,
  hausdorffDistance,
  PAPER_FRAME,
  pasteMask,
  resize,
  restoreMask,
  squareCropBox,
} from '@myoseg/core';
import ndarray from 'ndarray';

// A 200×240 mask with a myocardium-like ring, 1.4 mm pixels.
const [h, w] = [200, 240];
const truth = ndarray(new Uint8Array(h * w), [h, w]);
for (let y = 0; y < h; y++)
  for (let x = 0; x < w; x++) {
    const r = Math.hypot(y - 90, x - 130);
    truth.set(y, x, r > 18 && r < 30 ? 1 : 0);
  }

// Step 2: the square crop around the region with a 15 % frame, then the 60×60 network input size.
const box = squareCropBox(boundingBox(truth), { frame: PAPER_FRAME, imageShape: [h, w] });
const crop = cropImage(truth, box);
const lowRes = resize(crop, [60, 60], { method: 'area' }); // what a 60×60 segmenter would see

// Step 4: restore to the crop's size with a regressed σ, then paste into the full image.
const sigmaModel = fitSigmaRegression([
  { width: 50, sigma: 0.3 },
  { width: 120, sigma: 0.8 },
]);
const side = box.x1 - box.x0;
const restored = restoreMask(lowRes, [side, side], { sigma: sigmaModel.predict(side) });
const mask = pasteMask(restored, box, [h, w]);

console.log('crop box', box, 'σ', sigmaModel.predict(side).toFixed(2));
console.log('Dice', dice(mask, truth).toFixed(4));
console.log('HD95 (mm)', hausdorffDistance(mask, truth, { percentile: 95, spacing: [1.4, 1.4] }).toFixed(2));
