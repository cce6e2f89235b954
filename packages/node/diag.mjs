import { writeFileSync } from 'node:fs';
import { dice, LOCALIZATION_LABELS, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import { toSlices } from '@myoseg/datasets';
import { loadAcdc } from '@myoseg/datasets/node';
import { loadPipelineFolder, overlayPng } from '@myoseg/node';
import { pretrainedModelDir } from '@myoseg/pretrained/node';

const m = await loadPipelineFolder(pretrainedModelDir());
const cohort = await loadAcdc(process.argv[2]);
let k = 0;
for (const p of cohort.patients.slice(0, 4)) {
  const s = (await toSlices(p, { labels: 'all' })).filter((x) => x.phase === 'ED');
  const rs = await m.pipeline.segmentBatch(s.map((x) => x.image));
  rs.forEach((r, i) => {
    const t = selectLabels(s[i].mask, MYOCARDIUM_LABELS);
    const reg = selectLabels(s[i].mask, LOCALIZATION_LABELS);
    console.log(
      p.id,
      p.group,
      i,
      'dice',
      dice(r.mask, t).toFixed(2),
      'region dice',
      dice(r.regionMask, reg).toFixed(2),
      s[i].image.shape.join('x'),
    );
    if (i === Math.floor(s.length / 2))
      writeFileSync(
        `/tmp/diag-${k++}.png`,
        overlayPng(
          s[i].image,
          [
            { mask: t, color: [0, 200, 80], opacity: 0, outline: true },
            { mask: r.regionMask, color: [40, 80, 230], opacity: 0.25 },
            { mask: r.mask, color: [230, 60, 40], opacity: 0.4 },
          ],
          { scale: 1 },
        ),
      );
  });
}
m.dispose();
